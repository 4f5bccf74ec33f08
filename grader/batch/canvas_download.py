"""The Canvas bulk download zip (kind "canvas"), flat:
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
"""

from __future__ import annotations

import re
from pathlib import Path

from grader.batch.entries import Candidate, Problems, is_dir, listing, relative
from grader.batch.model import StudentInfo
from grader.notebook.answers_file import is_answers_file

_CANVAS_FILE = re.compile(r"(?P<name>\w*?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<file>\d+)_(?P<original>.+)", re.S)
_CANVAS_ONLINE = re.compile(r"(?P<name>\w*?)_(?:(?P<late>LATE)_)?(?P<user>\d+)_(?P<what>text|link)\.html")
_CANVAS_ANONYMOUS = re.compile(r"(?:LATE_)?anon_(?P<anon>[A-Za-z0-9]+)_(?:\d+_.+|(?:text|link)\.html)", re.S)


def canvas_name(name: str) -> bool:
    return any(p.fullmatch(name) for p in (_CANVAS_ANONYMOUS, _CANVAS_ONLINE, _CANVAS_FILE))


def looks_like_canvas(root: Path, allow_folders: bool) -> bool:
    children = listing(root)
    if not allow_folders and any(is_dir(e) for e in children):
        return False
    files = [e.name for e in children if not is_dir(e)]
    matching = sum(1 for name in files if canvas_name(name))
    return matching > 0 and 2 * matching >= len(files)


def read_canvas(root: Path, base: Path, problems: Problems) -> list[Candidate]:
    candidates = []
    for entry in listing(root):
        rel, name = relative(entry.path, base), entry.name
        if entry.is_symlink():
            problems.add(rel, "a symbolic link; links are not followed. Put the file itself there.")
            continue
        if is_dir(entry):
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
        if not is_answers_file(match["original"]):
            problems.add(rel, f"not a .py file or a notebook (Canvas user {match['user']} uploaded "
                              f"{match['original']!r}); not graded. Ask the student to upload their answers "
                              "as a .py file or a .ipynb notebook.")
            continue
        user = match["user"]
        candidates.append(Candidate(rel, user, (StudentInfo(user, match["name"]),), Path(entry.path), rel,
                                     None, f"canvas file {name}", marked_late=bool(match["late"]),
                                     order=(int(match["file"]),)))
    return candidates
