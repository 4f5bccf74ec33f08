"""The Gradescope Gradescope "Export Submissions" zip (kind "gradescope"), optionally inside one wrapper folder
such as `assignment_123_export/`:
    submission_metadata.yml
    submission_216975964/answers.py     one folder per active submission (one .py file or notebook)
  `submission_metadata.yml` is Ruby-flavoured YAML (symbol keys written `:name:`, Ruby object
  tags such as `!ruby/object:BigDecimal` may appear and are read as plain values):
    submission_216975964:
      :submitters:
      - :name: Alice Sun
        :sid: '06758767'
        :email: alice@example.edu
      - :name: ...                       (a group submission lists every member)
      :created_at: 2023-12-02 02:52:07.938335000 Z
      :score: 0.0
      :status: processed
      :results: {...}
      :history: [...]                    (earlier submissions; not graded)
  Student id = `:sid:`, or the email when the sid is empty. The batch key of a group submission
  is its first member's id. `:created_at:` is the submission time (must carry a time zone).

Sources: Canvas' own zipper, instructure/canvas-lms `lib/content_zipper.rb` (`get_filename`:
`[users_name, "LATE" if late, user_id].join("_")`, then `"#{filename}_#{file.id}_#{name}"`);
a real Gradescope export's `submission_metadata.yml` (public repository sjinang/temp0) and
public tools reading it (`:submitters:`, `:sid:`, `:created_at:`, folders `submission_<id>`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from grader.batch.entries import BatchInputError, Candidate, Problems, is_dir, listing, one_python_file, relative
from grader.batch.model import StudentInfo
from grader.notebook.answers_file import is_answers_file

GRADESCOPE_METADATA = "submission_metadata.yml"
MAX_METADATA_BYTES = 64 << 20
_GRADESCOPE_KEY = re.compile(r"submission_(\d+)")


def gradescope_root(root: Path) -> Path | None:
    if os.path.lexists(root / GRADESCOPE_METADATA):
        return root
    children = listing(root)
    if len(children) == 1 and is_dir(children[0]) and os.path.lexists(Path(children[0].path) / GRADESCOPE_METADATA):
        return Path(children[0].path)
    return None


class _RubyYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML for Gradescope's Ruby-written metadata: ids stay text, Ruby object tags become plain values.
    (libyaml's parser when PyYAML has it: a class's metadata with test output can be tens of MB.)"""


_RubyYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_untagged(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    assert isinstance(node, yaml.ScalarNode)  # the composer makes only these three kinds of node
    return loader.construct_scalar(node)


_RubyYamlLoader.add_constructor(None, _construct_untagged)


def _load_metadata(path: Path, label: str) -> Any:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} is a symbolic link; links are not "
                                  "followed. Put the file itself there.") from None
        raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} cannot be opened ({exc.strerror}).") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} is not a regular file.")
        data = f.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} is larger than {MAX_METADATA_BYTES >> 20} MiB; "
                              "this is not a Gradescope export.")
    try:
        return yaml.load(data.decode("utf-8-sig"), Loader=_RubyYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} is not UTF-8 text (byte {exc.start}); "
                              "download the export from Gradescope again.") from None
    except (yaml.YAMLError, RecursionError) as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise BatchInputError(f"{label}: {GRADESCOPE_METADATA} is not valid YAML{at}; download the export "
                              "from Gradescope again.") from None


def _field(record: dict, name: str) -> Any:
    for key in (f":{name}", name):
        if key in record:
            return record[key]
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


_TIME = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?\s*(Z|[+-]\d\d(?::?\d\d)?)?")


def _submission_time(value: Any) -> tuple[datetime | None, str | None]:
    """The time and, when it cannot be used, why."""
    if value is None:
        return None, "no :created_at: time"
    if isinstance(value, str):
        match = _TIME.fullmatch(value.strip())
        if not match:
            return None, f"an unreadable :created_at: time ({value!r})"
        day, clock, fraction, zone = match.groups()
        text = f"{day}T{clock}.{(fraction or '0')[:6].ljust(6, '0')}"
        if zone == "Z":
            text += "+00:00"
        elif zone:
            digits = zone[1:].replace(":", "")
            text += f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"
        value = datetime.fromisoformat(text)
    if not isinstance(value, datetime):
        return None, f"an unreadable :created_at: time ({value!r})"
    if value.tzinfo is None or value.utcoffset() is None:
        return None, f"a :created_at: time without a time zone ({value.isoformat()})"
    return value, None


def read_gradescope(root: Path, base: Path, label: Path, problems: Problems) -> list[Candidate]:
    meta_entry = relative(root / GRADESCOPE_METADATA, base)
    metadata = _load_metadata(root / GRADESCOPE_METADATA, f"{label}: {meta_entry}")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise BatchInputError(f"{label}: {meta_entry} does not list submissions (submission_<id>: ...); "
                              "download the export from Gradescope again.")
    listed: dict[str, tuple[str, dict]] = {}
    for key, record in metadata.items():
        name = _text(key)
        match = _GRADESCOPE_KEY.fullmatch(name)
        if not match or not isinstance(record, dict):
            problems.add(meta_entry, f"an entry {name!r} that is not a submission_<id> record; ignored.")
            continue
        listed[name] = (match.group(1), record)

    entries_by_key: dict[str, list[os.DirEntry]] = defaultdict(list)
    for entry in listing(root):
        if entry.name == GRADESCOPE_METADATA:
            continue
        stem = entry.name if is_dir(entry) else entry.name.split(".", 1)[0]
        if stem in listed:
            entries_by_key[stem].append(entry)
        else:
            problems.add(relative(entry.path, base), f"not listed in {GRADESCOPE_METADATA}, so whose it is cannot "
                                                 "be told; not graded. Grade it separately if it matters.")

    candidates = []
    for key, (submission_id, record) in sorted(listed.items()):
        entries = entries_by_key.get(key, [])
        entry_name = relative(root / key, base)
        if not entries:
            problems.add(entry_name, f"listed in {GRADESCOPE_METADATA} but the export holds no files for it; "
                                     "download the export again, or check the submission on Gradescope.")
            continue
        students = _gradescope_students(record, entry_name, problems)
        if not students:
            continue
        path = _gradescope_file(entries, base, problems)
        if path is None:
            continue
        submitted_at, why = _submission_time(_field(record, "created_at"))
        if why:
            problems.add(entry_name, f"{why}; graded without a submission time, so no late policy can apply "
                                     "to it. Check the time on Gradescope.")
        order = (submitted_at, int(submission_id)) if submitted_at else None
        candidates.append(Candidate(entry_name, students[0].id, tuple(students), path, relative(path, base),
                                     submitted_at, f"gradescope submission {submission_id}", order=order))
    return candidates


def _gradescope_students(record: dict, entry: str, problems: Problems) -> list[StudentInfo]:
    submitters = _field(record, "submitters")
    if not isinstance(submitters, list) or not submitters:
        problems.add(entry, f"{GRADESCOPE_METADATA} lists no submitters for it, so whose it is cannot be "
                            "told; not graded. Check the submission on Gradescope.")
        return []
    students, unknown = [], []
    for submitter in submitters:
        if not isinstance(submitter, dict):
            unknown.append("an unreadable submitter record")
            continue
        name, email, sid = (_text(_field(submitter, f)) for f in ("name", "email", "sid"))
        if sid or email:
            students.append(StudentInfo(sid or email, name, email))
        else:
            unknown.append(repr(name) if name else "an unnamed submitter")
    if unknown:
        who = ", ".join(unknown)
        if students:
            problems.add(entry, f"{who} has neither a student id (:sid:) nor an email in {GRADESCOPE_METADATA}, "
                                "so gets no grade from it; the other members do. Add the student's SID on "
                                "Gradescope's roster and export again.")
        else:
            problems.add(entry, f"no submitter has a student id (:sid:) or an email in {GRADESCOPE_METADATA} "
                                f"({who}); not graded. Add the SIDs on Gradescope's roster and export again.")
    return students


def _gradescope_file(entries: list[os.DirEntry], base: Path, problems: Problems) -> Path | None:
    if len(entries) > 1:
        names = ", ".join(relative(e.path, base) for e in entries)
        problems.add(relative(entries[0].path, base), f"several entries for one submission ({names}); which one "
                                                  "to grade cannot be told. Keep one and give the folder as input.")
        return None
    entry = entries[0]
    rel = relative(entry.path, base)
    if entry.is_symlink():
        problems.add(rel, "a symbolic link; links are not followed. Put the files themselves there.")
        return None
    if is_dir(entry):
        return one_python_file(Path(entry.path), base, problems)
    if not is_answers_file(entry.name):
        problems.add(rel, "not a .py file or a notebook, so not graded; the answers must be a .py file or a "
                          ".ipynb notebook.")
        return None
    return Path(entry.path)
