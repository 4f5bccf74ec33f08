"""Read a whole class's submissions: a folder, a Gradescope export or a Canvas bulk download.

`read_batch_input(path, workdir)` finds out which of these `path` is, extracts archives safely into
`workdir/input/`, and returns one `BatchSubmission` per student (or group) plus an `InputProblem`
for every entry that cannot be graded. A bad entry never stops the batch; only an input that
cannot be used at all (missing, not a zip, damaged or oversized archive, unknown layout) raises
`BatchInputError`. Student ids come from the platform or the file names and are never guessed:
an entry whose student cannot be told is reported, not graded.

Layouts
-------
Folder (kind "folder"):
    alice.py                     student id "alice" (the file name without .py)
    bob/answers.py               student id "bob" (the folder name); exactly one .py file inside
                                 (sub-folders included), otherwise the folder is reported

Gradescope "Export Submissions" zip (kind "gradescope"), optionally inside one wrapper folder
such as `assignment_123_export/`:
    submission_metadata.yml
    submission_216975964/answers.py     one folder per active submission (exactly one .py file)
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

Canvas bulk download zip (kind "canvas"), flat:
    <lastfirst>_<userid>_<fileid>_<original name>          e.g. smithjohn_12345_67890_answers.py
    <lastfirst>_LATE_<userid>_<fileid>_<original name>     Canvas marked the submission late
  `lastfirst` is the student's sortable name, lower-cased, without punctuation; `userid` is the
  Canvas user id (the student id here); `fileid` is the id of the uploaded file (it grows with
  every upload, so when one student has several .py files the highest id is the newest and the
  others are reported as superseded); the original name may carry Canvas' `-1`, `-2` suffix of
  a re-uploaded file. The name carries no submission time (`submitted_at` is None).
  Also recognised and reported: text entries and URLs (`<lastfirst>_<userid>_text.html`,
  `..._link.html`) and anonymised files (`anon_<anonymousid>_<fileid>_<name>`), which name no
  student.

Sources: Canvas' own zipper, instructure/canvas-lms `lib/content_zipper.rb` (`get_filename`:
`[users_name, "LATE" if late, user_id].join("_")`, then `"#{filename}_#{file.id}_#{name}"`);
a real Gradescope export's `submission_metadata.yml` (public repository sjinang/temp0) and
public tools reading it (`:submitters:`, `:sid:`, `:created_at:`, folders `submission_<id>`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from grader.batch.model import BatchInput, BatchSubmission, InputProblem, StudentInfo
from grader.sandbox.runner import MAX_SUBMISSION_BYTES

MAX_ARCHIVE_BYTES = 512 << 20
"""Total uncompressed size an archive may extract to."""
MAX_ARCHIVE_ENTRIES = 20_000
MAX_METADATA_BYTES = 64 << 20
MAX_FOLDER_ENTRIES = 10_000
"""Entries looked at inside one student's folder (a folder holding more is reported)."""
GRADESCOPE_METADATA = "submission_metadata.yml"
EXTRACT_DIR = "input"
"""Archives are extracted into `workdir/input/` (emptied first if an earlier extraction made it)."""
_EXTRACTED_MARKER = ".extracted-by-grader"

_JUNK = {"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"}
_GRADESCOPE_KEY = re.compile(r"submission_(\d+)")
_CANVAS_FILE = re.compile(r"(?P<name>\w*?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<file>\d+)_(?P<original>.+)", re.S)
_CANVAS_ONLINE = re.compile(r"(?P<name>\w*?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<what>text|link)\.html")
_CANVAS_ANONYMOUS = re.compile(r"(?:LATE_)?anon_(?P<anon>[A-Za-z0-9]+)_(?:\d+_.+|(?:text|link)\.html)", re.S)


class BatchInputError(Exception):
    """The input as a whole cannot be used; the message says why and what to do."""


@dataclass
class _Candidate:
    """A submission found in the input, before duplicates are settled and the file is checked."""

    entry: str
    key: str
    students: tuple[StudentInfo, ...]
    path: Path
    file_entry: str
    submitted_at: datetime | None
    source: str
    marked_late: bool = False
    order: tuple[Any, ...] | None = None
    """Newer submissions sort higher; None when the input cannot tell which is newer."""


class _Problems(list):
    def add(self, entry: str, message: str) -> None:
        self.append(InputProblem(entry, message))


def read_batch_input(path: Path, workdir: Path) -> BatchInput:
    """Every gradable submission in `path` (sorted by key) and every entry that is not."""
    path = Path(path)
    if not path.exists():
        raise BatchInputError(f"{path}: no such file or folder. Give the folder of submissions, or the "
                              "zip downloaded from Gradescope (Export Submissions) or Canvas "
                              "(Download Submissions).")
    if path.is_dir():
        return _read_tree(path, path, archive=None, problems=_Problems())
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise BatchInputError(f"{path}: neither a folder nor a zip archive. Give the folder of submissions, "
                              "or the zip exactly as downloaded from Gradescope or Canvas.")
    problems = _Problems()
    dest = _extract_zip(path, Path(workdir), problems)
    return _read_tree(dest, dest, archive=path, problems=problems)


# --- layout detection -------------------------------------------------------------------------------

def _read_tree(root: Path, base: Path, archive: Path | None, problems: _Problems) -> BatchInput:
    meta_root = _gradescope_root(root)
    if meta_root is not None:
        kind, candidates = "gradescope", _read_gradescope(meta_root, base, archive or root, problems)
    else:
        if archive is not None:
            root = _unwrap(root)
        if _looks_like_canvas(root, allow_folders=archive is not None):
            kind, candidates = "canvas", _read_canvas(root, base, problems)
        elif archive is None:
            kind, candidates = "folder", _read_folder(root, base, problems)
        else:
            refused = ""
            if problems:
                count = "1 entry was" if len(problems) == 1 else f"{len(problems)} entries were"
                refused = (f" Besides, {count} refused or could not be extracted, e.g. "
                           f"{problems[0].entry}: {problems[0].message}")
            raise BatchInputError(
                f"{archive}: not a layout this grader knows. A Gradescope export holds "
                f"{GRADESCOPE_METADATA} and submission_<id>/ folders; a Canvas download holds files named "
                "like smithjohn_12345_67890_answers.py. If this zip is a plain folder of .py files named "
                "after student ids (or of per-student folders), unzip it and give the folder instead." + refused)
    submissions = _settle(candidates, base, problems)
    problems.sort(key=lambda p: p.entry)
    return BatchInput(tuple(submissions), tuple(problems), kind)


def _children(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted((e for e in it if not _is_junk(e.name)), key=lambda e: e.name)


def _is_junk(name: str) -> bool:
    return name in _JUNK or name.startswith(".")


def _is_dir(entry: os.DirEntry) -> bool:
    return entry.is_dir(follow_symlinks=False)


def _gradescope_root(root: Path) -> Path | None:
    if os.path.lexists(root / GRADESCOPE_METADATA):
        return root
    children = _children(root)
    if len(children) == 1 and _is_dir(children[0]) and os.path.lexists(Path(children[0].path) / GRADESCOPE_METADATA):
        return Path(children[0].path)
    return None


def _unwrap(root: Path) -> Path:
    """The one folder an archive wraps everything in (`hw3 submissions/...`), or the root itself."""
    children = _children(root)
    if len(children) == 1 and _is_dir(children[0]):
        return Path(children[0].path)
    return root


def _canvas_name(name: str) -> bool:
    return any(p.fullmatch(name) for p in (_CANVAS_ANONYMOUS, _CANVAS_ONLINE, _CANVAS_FILE))


def _looks_like_canvas(root: Path, allow_folders: bool) -> bool:
    children = _children(root)
    if not allow_folders and any(_is_dir(e) for e in children):
        return False
    files = [e.name for e in children if not _is_dir(e)]
    matching = sum(1 for name in files if _canvas_name(name))
    return matching > 0 and 2 * matching >= len(files)


def _rel(path: Path | str, base: Path) -> str:
    return Path(path).relative_to(base).as_posix()


# --- folders ----------------------------------------------------------------------------------------

def _read_folder(root: Path, base: Path, problems: _Problems) -> list[_Candidate]:
    candidates = []
    for entry in _children(root):
        rel = _rel(entry.path, base)
        if entry.is_symlink():
            problems.add(rel, "a symbolic link; links are not followed. Put the student's file or folder "
                              "itself here and rerun.")
        elif _is_dir(entry):
            found = _one_python_file(Path(entry.path), base, problems)
            if found is not None:
                candidates.append(_Candidate(rel, entry.name, (StudentInfo(entry.name),), found,
                                             _rel(found, base), None, f"folder {entry.name}/"))
        elif not entry.is_file(follow_symlinks=False):
            problems.add(rel, "not a regular file; remove it from the folder.")
        elif not entry.name.lower().endswith(".py"):
            problems.add(rel, "not a .py file, so not graded. Submissions are .py files named after the "
                              "student id (alice.py), or one folder per student holding one .py file.")
        else:
            student_id = entry.name[:-3]
            if not student_id.strip():
                problems.add(rel, "the file name gives no student id; rename it to <student id>.py and rerun.")
                continue
            candidates.append(_Candidate(rel, student_id, (StudentInfo(student_id),), Path(entry.path), rel,
                                         None, f"file {entry.name}"))
    return candidates


def _one_python_file(folder: Path, base: Path, problems: _Problems) -> Path | None:
    """The single .py file somewhere in `folder` (links not followed), or None after reporting why not."""
    python, others, seen = [], [], 0
    pending = [folder]
    while pending:
        for entry in _children(pending.pop()):
            seen += 1
            if seen > MAX_FOLDER_ENTRIES:
                problems.add(_rel(folder, base), f"holds more than {MAX_FOLDER_ENTRIES} entries; this is not "
                                                 "a submission. Remove it or keep only the answers file.")
                return None
            if entry.is_symlink():
                problems.add(_rel(entry.path, base), "a symbolic link; links are not followed, so it is "
                                                     "ignored. Replace it with the file itself if it matters.")
            elif _is_dir(entry):
                pending.append(Path(entry.path))
            elif entry.name.lower().endswith(".py"):
                python.append(Path(entry.path))
            else:
                others.append(_rel(entry.path, folder))
    rel = _rel(folder, base)
    if len(python) == 1:
        return python[0]
    if not python:
        found = ", ".join(others[:10]) + (", ..." if len(others) > 10 else "") if others else "nothing"
        problems.add(rel, f"no .py file in it (found: {found}). The answers must be a .py file: ask the "
                          "student to submit one, or put it in this folder and give the folder as input.")
    else:
        names = ", ".join(sorted(_rel(p, folder) for p in python))
        problems.add(rel, f"{len(python)} .py files in it ({names}); which one holds the answers cannot be "
                          "told. Keep only the answers file in this folder and give the folder as input.")
    return None


# --- Gradescope --------------------------------------------------------------------------------------

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


def _read_gradescope(root: Path, base: Path, label: Path, problems: _Problems) -> list[_Candidate]:
    meta_entry = _rel(root / GRADESCOPE_METADATA, base)
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
    for entry in _children(root):
        if entry.name == GRADESCOPE_METADATA:
            continue
        stem = entry.name if _is_dir(entry) else entry.name.split(".", 1)[0]
        if stem in listed:
            entries_by_key[stem].append(entry)
        else:
            problems.add(_rel(entry.path, base), f"not listed in {GRADESCOPE_METADATA}, so whose it is cannot "
                                                 "be told; not graded. Grade it separately if it matters.")

    candidates = []
    for key, (submission_id, record) in sorted(listed.items()):
        entries = entries_by_key.get(key, [])
        entry_name = _rel(root / key, base)
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
        candidates.append(_Candidate(entry_name, students[0].id, tuple(students), path, _rel(path, base),
                                     submitted_at, f"gradescope submission {submission_id}", order=order))
    return candidates


def _gradescope_students(record: dict, entry: str, problems: _Problems) -> list[StudentInfo]:
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


def _gradescope_file(entries: list[os.DirEntry], base: Path, problems: _Problems) -> Path | None:
    if len(entries) > 1:
        names = ", ".join(_rel(e.path, base) for e in entries)
        problems.add(_rel(entries[0].path, base), f"several entries for one submission ({names}); which one "
                                                  "to grade cannot be told. Keep one and give the folder as input.")
        return None
    entry = entries[0]
    rel = _rel(entry.path, base)
    if entry.is_symlink():
        problems.add(rel, "a symbolic link; links are not followed. Put the files themselves there.")
        return None
    if _is_dir(entry):
        return _one_python_file(Path(entry.path), base, problems)
    if not entry.name.lower().endswith(".py"):
        problems.add(rel, "not a .py file, so not graded; this assignment needs the answers as a .py file.")
        return None
    return Path(entry.path)


# --- Canvas ------------------------------------------------------------------------------------------

def _read_canvas(root: Path, base: Path, problems: _Problems) -> list[_Candidate]:
    candidates = []
    for entry in _children(root):
        rel, name = _rel(entry.path, base), entry.name
        if entry.is_symlink():
            problems.add(rel, "a symbolic link; links are not followed. Put the file itself there.")
            continue
        if _is_dir(entry):
            problems.add(rel, "a folder inside a Canvas download (Canvas downloads are flat), so whose files "
                              "these are cannot be told; not graded. Grade it separately if it matters.")
            continue
        if _CANVAS_ANONYMOUS.fullmatch(name):
            problems.add(rel, "anonymised by Canvas (anonymous grading is on), so the student's id is unknown; "
                              "not graded. Turn anonymous grading off for the download, or grade it separately.")
            continue
        online = _CANVAS_ONLINE.fullmatch(name)
        if online:
            what = "text entry" if online["what"] == "text" else "website URL"
            problems.add(rel, f"a {what} submitted by Canvas user {online['user']}, not an uploaded .py file; "
                              "not graded. Ask the student to upload their answers as a .py file.")
            continue
        match = _CANVAS_FILE.fullmatch(name)
        if not match:
            problems.add(rel, "the name does not follow Canvas' pattern <lastfirst>_<userid>_<fileid>_<name> "
                              "(with _LATE_ before the user id when late), so whose file it is cannot be told; "
                              "not graded. Rename it to that pattern, or grade it separately.")
            continue
        if not match["original"].lower().endswith(".py"):
            problems.add(rel, f"not a .py file (Canvas user {match['user']} uploaded {match['original']!r}); "
                              "not graded. Ask the student to upload their answers as a .py file.")
            continue
        user = match["user"]
        candidates.append(_Candidate(rel, user, (StudentInfo(user, match["name"]),), Path(entry.path), rel,
                                     None, f"canvas file {name}", marked_late=bool(match["late"]),
                                     order=(int(match["file"]),)))
    return candidates


# --- duplicates and file checks -----------------------------------------------------------------------

def _newest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates whose input tells which is newer, newest first (ties keep their order)."""
    dated = [(c.order, c) for c in candidates if c.order is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [c for _, c in dated]


def _settle(candidates: list[_Candidate], base: Path, problems: _Problems) -> list[BatchSubmission]:
    """One submission per student (the newest when the input says which), each a readable .py file."""
    by_key: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_key[c.key].append(c)
    unique = []
    for key, group in by_key.items():
        if len(group) == 1:
            unique.append(group[0])
        elif any(c.order is None for c in group):
            entries = ", ".join(c.entry for c in group)
            for c in group:
                problems.add(c.entry, f"student {key} has {len(group)} submissions ({entries}) and which one "
                                      "counts cannot be told, so none is graded. Keep only one and rerun.")
        else:
            group = _newest_first(group)
            unique.append(group[0])
            for older in group[1:]:
                problems.add(older.entry, f"superseded: student {key} has a newer submission "
                                          f"({group[0].entry}); only the newest is graded.")

    # A student in several submissions (group work) is graded on the newest one only.
    ordered = _newest_first(unique) + [c for c in unique if c.order is None]
    claimed: dict[str, _Candidate] = {}
    settled = []
    for c in ordered:
        if c.key in claimed:
            problems.add(c.entry, f"superseded: student {c.key} is also in {claimed[c.key].entry}, a newer "
                                  "submission; only that one is graded.")
            continue
        members = []
        for student in c.students:
            if student.id in claimed:
                problems.add(c.entry, f"student {student.id} is also in {claimed[student.id].entry}, a newer "
                                      "submission, and is graded there only.")
            else:
                members.append(student)
        for student in members:
            claimed[student.id] = c
        settled.append(replace(c, students=tuple(members)))

    submissions = []
    for c in settled:
        why = _unreadable(c.path)
        if why:
            problems.add(c.file_entry, why)
            continue
        submissions.append(BatchSubmission(c.key, c.students, c.path, c.submitted_at, c.source, c.marked_late))
    submissions.sort(key=lambda s: s.key)
    return submissions


def _unreadable(path: Path) -> str | None:
    """Why the file cannot be graded (the runner's own rules, said for the TA), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link; links are not followed. Put the file itself there."
        return f"cannot be opened ({exc.strerror})."
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a regular file; replace it with the student's .py file."
        data = f.read(MAX_SUBMISSION_BYTES + 1)
    if len(data) > MAX_SUBMISSION_BYTES:
        return (f"larger than {MAX_SUBMISSION_BYTES >> 10} KiB, too big for an answers file; not graded. "
                "Ask the student to submit only their answers file.")
    if not data.strip():
        return "empty; not graded. Ask the student to submit their answers file again."
    if b"\0" in data:
        return "a binary file, not Python source; not graded. Ask the student to submit their .py answers file."
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"not UTF-8 text (byte {exc.start}); not graded. Ask the student to save it as UTF-8 and "
                "submit again, or re-save it as UTF-8 yourself and give the folder as input.")
    return None


# --- safe extraction ---------------------------------------------------------------------------------

class _ArchiveTooBig(Exception):
    pass


def _extract_zip(archive: Path, workdir: Path, problems: _Problems) -> Path:
    """Extract the regular files of `archive` into `workdir/input/`, refusing anything that could escape it."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchInputError(f"{archive}: a damaged zip archive ({exc}); download it again.") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ARCHIVE_ENTRIES:
            raise BatchInputError(f"{archive}: {len(infos)} entries, more than the {MAX_ARCHIVE_ENTRIES} a class "
                                  "download can have; this is not a submissions export.")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_ARCHIVE_BYTES:
            raise BatchInputError(f"{archive}: would extract to {declared >> 20} MiB, more than the "
                                  f"{MAX_ARCHIVE_BYTES >> 20} MiB allowed; download only the assignment's "
                                  "submissions, or split the class into several archives.")
        dest = _fresh_directory(Path(workdir) / EXTRACT_DIR)
        budget = MAX_ARCHIVE_BYTES
        for info in infos:
            name = _entry_name(info)
            parts, why = _safe_parts(name)
            if why:
                problems.add(name, why)
                continue
            if not parts or any(_is_junk(p) for p in parts):
                continue
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_IFMT(mode):
                if stat.S_ISLNK(mode):
                    problems.add(name, "a symbolic link inside the archive; refused (links could reach files "
                                       "outside it). Replace it with the file itself and zip again.")
                    continue
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    problems.add(name, "not a regular file; refused.")
                    continue
            target = dest.joinpath(*parts)
            try:
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                if info.flag_bits & 0x1:
                    problems.add(name, "encrypted; not graded. Download the submissions again without a password.")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                budget -= _copy_entry(zf, info, target, budget)
            except _ArchiveTooBig:
                raise BatchInputError(f"{archive}: extracts to more than {MAX_ARCHIVE_BYTES >> 20} MiB (more "
                                      "than its headers declare); this archive cannot be used.") from None
            except FileExistsError:
                problems.add(name, "appears twice in the archive (or clashes with a folder); only the first "
                                   "copy is used.")
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError,
                    ValueError) as exc:
                _remove_partial(target)
                problems.add(name, f"cannot be extracted ({exc}); the archive may be damaged: download it again.")
    return dest


def _fresh_directory(dest: Path) -> Path:
    """An empty `dest`; an existing one is cleared only if an earlier extraction made it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(dest):
        if dest.is_symlink() or not dest.is_dir() or not (dest / _EXTRACTED_MARKER).is_file():
            raise BatchInputError(f"{dest} already exists and was not made by an earlier extraction; "
                                  "move it away or choose another output folder.")
        shutil.rmtree(dest)
    dest.mkdir()
    (dest / _EXTRACTED_MARKER).write_text("Extracted by `grade batch`; emptied on every run.\n")
    return dest


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; names stored without the UTF-8 flag are re-read as UTF-8 when they are."""
    name = info.orig_filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _safe_parts(name: str) -> tuple[list[str], str | None]:
    if "\0" in name:
        return [], "a name with a NUL character; refused. The archive is damaged: download it again."
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"[A-Za-z]:", normal):
        return [], ("an absolute path; refused (it could write outside the work folder). This is not a "
                    "genuine export: download it again from the platform.")
    parts = [p for p in normal.split("/") if p not in ("", ".")]
    if ".." in parts:
        return [], ("a path with '..' that climbs out of the archive; refused. This is not a genuine export: "
                    "download it again from the platform.")
    return parts, None


def _copy_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as source:
            while chunk := source.read(1 << 16):
                written += len(chunk)
                if written > budget:
                    raise _ArchiveTooBig
                if written > info.file_size:
                    raise ValueError("more data than its header declares")
                out.write(chunk)
    except BaseException:
        _remove_partial(target)
        raise
    return written


def _remove_partial(target: Path) -> None:
    try:
        if target.is_file() and not target.is_symlink():
            target.unlink()
    except OSError:
        pass


