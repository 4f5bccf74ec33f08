"""Read a whole class's submissions: a folder, a Gradescope export or a Canvas bulk download.

`read_batch_input(path, workdir)` finds out which of these `path` is, extracts archives safely into
`workdir/input/`, and returns one `BatchSubmission` per student (or group) plus an `InputProblem`
for every entry that cannot be graded. A bad entry never stops the batch; only an input that
cannot be used at all (missing, not a zip, damaged or oversized archive, unknown layout) raises
`BatchInputError`. Student ids come from the platform or the file names and are never guessed:
an entry whose student cannot be told is reported, not graded.

Layouts: a folder (below), a Gradescope export (`gradescope_export.py`), a Canvas download
(`canvas_download.py`); archives are extracted by `archive.py`.

Folder (kind "folder"):
    alice.py                     student id "alice" (the file name without .py)
    carol.ipynb                  student id "carol": a notebook (Jupyter, Colab) is graded the same way
    bob/answers.py               student id "bob" (the folder name); exactly one .py file or notebook
                                 (sub-folders included), otherwise the folder is reported
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from grader.batch.archive import extract_zip
from grader.batch.canvas_download import looks_like_canvas, read_canvas
from grader.batch.entries import BatchInputError, Candidate, Problems, is_dir, listing, one_python_file, relative
from grader.batch.gradescope_export import GRADESCOPE_METADATA, gradescope_root, read_gradescope
from grader.batch.model import BatchInput, BatchSubmission, StudentInfo
from grader.notebook.answers_file import is_answers_file, read_answers
from grader.notebook.reading import MAX_NOTEBOOK_BYTES, looks_like_notebook
from grader.sandbox.submission_file import MAX_SUBMISSION_BYTES, SubmissionFileError

__all__ = ["BatchInputError", "read_batch_input"]


def read_batch_input(path: Path, workdir: Path) -> BatchInput:
    """Every gradable submission in `path` (sorted by key) and every entry that is not."""
    path = Path(path)
    if not path.exists():
        raise BatchInputError(f"{path}: no such file or folder. Give the folder of submissions, or the "
                              "zip downloaded from Gradescope (Export Submissions) or Canvas "
                              "(Download Submissions).")
    if path.is_dir():
        return _read_tree(path, path, archive=None, problems=Problems())
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise BatchInputError(f"{path}: neither a folder nor a zip archive. Give the folder of submissions, "
                              "or the zip exactly as downloaded from Gradescope or Canvas.")
    problems = Problems()
    dest = extract_zip(path, Path(workdir), problems)
    return _read_tree(dest, dest, archive=path, problems=problems)


# --- layout detection -------------------------------------------------------------------------------

def _read_tree(root: Path, base: Path, archive: Path | None, problems: Problems) -> BatchInput:
    meta_root = gradescope_root(root)
    if meta_root is not None:
        kind, candidates = "gradescope", read_gradescope(meta_root, base, archive or root, problems)
    else:
        if archive is not None:
            root = _unwrap(root)
        if looks_like_canvas(root, allow_folders=archive is not None):
            kind, candidates = "canvas", read_canvas(root, base, problems)
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


def _unwrap(root: Path) -> Path:
    """The one folder an archive wraps everything in (`hw3 submissions/...`), or the root itself."""
    children = listing(root)
    if len(children) == 1 and is_dir(children[0]):
        return Path(children[0].path)
    return root


# --- folders ----------------------------------------------------------------------------------------

def _read_folder(root: Path, base: Path, problems: Problems) -> list[Candidate]:
    candidates = []
    for entry in listing(root):
        rel = relative(entry.path, base)
        if entry.is_symlink():
            problems.add(rel, "a symbolic link; links are not followed. Put the student's file or folder "
                              "itself here and rerun.")
        elif is_dir(entry):
            found = one_python_file(Path(entry.path), base, problems)
            if found is not None:
                candidates.append(Candidate(rel, entry.name, (StudentInfo(entry.name),), found,
                                             relative(found, base), None, f"folder {entry.name}/"))
        elif not entry.is_file(follow_symlinks=False):
            problems.add(rel, "not a regular file; remove it from the folder.")
        elif not is_answers_file(entry.name):
            problems.add(rel, "not a .py file or a notebook, so not graded. Submissions are .py files or .ipynb "
                              "notebooks named after the student id (alice.py, alice.ipynb), or one folder per "
                              "student holding one such file.")
        else:
            student_id = Path(entry.name).stem
            if not student_id.strip():
                problems.add(rel, "the file name gives no student id; rename it to <student id>.py and rerun.")
                continue
            candidates.append(Candidate(rel, student_id, (StudentInfo(student_id),), Path(entry.path), rel,
                                         None, f"file {entry.name}"))
    return candidates


# --- duplicates and file checks -----------------------------------------------------------------------

def _newest_first(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates whose input tells which is newer, newest first (ties keep their order)."""
    dated = [(c.order, c) for c in candidates if c.order is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [c for _, c in dated]


def _settle(candidates: list[Candidate], base: Path, problems: Problems) -> list[BatchSubmission]:
    """One submission per student (the newest when the input says which), each a readable .py file."""
    by_key: dict[str, list[Candidate]] = defaultdict(list)
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
    claimed: dict[str, Candidate] = {}
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
        settled.append(c if len(members) == len(c.students) else replace(c, students=tuple(members)))

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
            return "not a regular file; replace it with the student's answers file."
        data = f.read(MAX_NOTEBOOK_BYTES + 1)
    if looks_like_notebook(path, data):  # also a notebook renamed to .py, as the runner reads it
        try:
            read_answers(path, free_text=None)
        except SubmissionFileError as exc:
            return str(exc).removeprefix(f"{path}: ") + " (not graded)"
        return None
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
