"""Batch inputs (grader.batch.inputs, and the layout readers and safe extraction it uses): folders,
Gradescope exports and Canvas downloads, built here as small fixtures."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from grader.batch import archive, inputs
from grader.batch.inputs import BatchInputError, read_batch_input
from grader.batch.model import BatchInput, StudentInfo

GOOD = "q1 = 42\n"


def problems_by_entry(batch: BatchInput) -> dict[str, str]:
    return {p.entry: p.message for p in batch.problems}


def make_zip(path: Path, entries: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# --- folders ------------------------------------------------------------------------------------------

def test_folder_of_py_files_uses_the_file_name_as_student_id(tmp_path):
    folder = tmp_path / "subs"
    write(folder / "bob.py", GOOD)
    write(folder / "alice.py", GOOD)
    write(folder / ".DS_Store", b"\0\1")
    write(folder / "notes.txt", "hi")
    batch = read_batch_input(folder, tmp_path / "work")
    assert batch.kind == "folder"
    assert [s.key for s in batch.submissions] == ["alice", "bob"]
    alice = batch.submissions[0]
    assert alice.students == (StudentInfo("alice"),)
    assert alice.path == folder / "alice.py" and alice.submitted_at is None and not alice.marked_late
    assert list(problems_by_entry(batch)) == ["notes.txt"]
    assert "not a .py file" in batch.problems[0].message


def test_per_student_folders_need_exactly_one_py_file(tmp_path):
    folder = tmp_path / "subs"
    write(folder / "carol" / "work" / "answers.py", GOOD)
    write(folder / "carol" / "readme.md", "notes")
    write(folder / "carol" / "__pycache__" / "answers.cpython-311.py", "junk")
    write(folder / "dave" / "a.py", GOOD)
    write(folder / "dave" / "b.py", GOOD)
    write(folder / "erin" / "report.pdf", b"%PDF")
    batch = read_batch_input(folder, tmp_path / "work")
    assert [(s.key, s.path.name) for s in batch.submissions] == [("carol", "answers.py")]
    problems = problems_by_entry(batch)
    assert set(problems) == {"dave", "erin"}
    assert "2 answers files" in problems["dave"] and "a.py, b.py" in problems["dave"]
    assert "no .py file" in problems["erin"] and "report.pdf" in problems["erin"]


def test_a_student_twice_in_a_folder_is_reported_and_not_graded(tmp_path):
    folder = tmp_path / "subs"
    write(folder / "alice.py", GOOD)
    write(folder / "alice" / "answers.py", GOOD)
    write(folder / "bob.py", GOOD)
    batch = read_batch_input(folder, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["bob"]
    problems = problems_by_entry(batch)
    assert set(problems) == {"alice", "alice.py"}
    assert all("2 submissions" in m and "none is graded" in m for m in problems.values())


def test_symbolic_links_in_a_folder_are_never_followed(tmp_path):
    secret = write(tmp_path / "secret.py", "password = 1\n")
    outside = tmp_path / "outside"
    write(outside / "answers.py", GOOD)
    folder = tmp_path / "subs"
    write(folder / "alice.py", GOOD)
    os.symlink(secret, folder / "mallory.py")
    os.symlink(outside, folder / "trudy")
    write(folder / "victor" / "answers.py", GOOD)
    os.symlink(secret, folder / "victor" / "extra.py")
    batch = read_batch_input(folder, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["alice", "victor"]
    assert batch.submissions[1].path == folder / "victor" / "answers.py"
    problems = problems_by_entry(batch)
    assert set(problems) == {"mallory.py", "trudy", "victor/extra.py"}
    assert all("symbolic link" in m for m in problems.values())


def test_unreadable_files_are_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "subs"
    write(folder / "ok.py", GOOD)
    write(folder / "binary.py", b"\x7fELF\x02\x01\x01\x00\x00\x00")
    write(folder / "latin1.py", "name = 'José'\n".encode("latin-1"))
    write(folder / "empty.py", b"")
    write(folder / "blank.py", "\n  \n")
    write(folder / "huge.py", "x = 1\n" * (inputs.MAX_SUBMISSION_BYTES // 6 + 10))
    batch = read_batch_input(folder, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["ok"]
    problems = problems_by_entry(batch)
    assert "binary" in problems["binary.py"]
    assert "not UTF-8" in problems["latin1.py"] and "save it as UTF-8" in problems["latin1.py"]
    assert "empty" in problems["empty.py"] and "empty" in problems["blank.py"]
    assert "larger than 1024 KiB" in problems["huge.py"]


def test_a_notebook_is_judged_as_the_runner_reads_it_whatever_its_name(tmp_path):
    """A notebook renamed to .py is read as a notebook by the runner: a large one (plots in its
    outputs) is graded, not refused as a .py file over 1 MiB; a broken one is refused as a notebook."""
    folder = tmp_path / "subs"
    plot = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo" * 200_000}}
    cell = {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": 1, "source": GOOD,
            "outputs": [plot]}
    big = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]})
    assert len(big) > inputs.MAX_SUBMISSION_BYTES
    write(folder / "renamed.py", big)
    write(folder / "real.ipynb", big)
    write(folder / "broken.ipynb", '{"nbformat": 4, "cells": [{"cell_type": "code"}]}')
    batch = read_batch_input(folder, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["real", "renamed"]
    assert "not a valid Jupyter notebook" in problems_by_entry(batch)["broken.ipynb"]


def test_missing_input_and_plain_files_are_clear_errors(tmp_path):
    with pytest.raises(BatchInputError, match="no such file or folder"):
        read_batch_input(tmp_path / "nope", tmp_path / "work")
    with pytest.raises(BatchInputError, match="neither a folder nor a zip"):
        read_batch_input(write(tmp_path / "class.csv", "id\n1\n"), tmp_path / "work")


# --- Gradescope ---------------------------------------------------------------------------------------

METADATA = """\
---
submission_1001:
  :submitters:
  - :name: Alice Sun
    :sid: '06758767'
    :email: alice@example.edu
  :created_at: 2023-12-02 02:52:07.938335000 Z
  :score: !ruby/object:BigDecimal 18:0.1e2
  :status: processed
  :results:
    score: 0.0
    tests: []
    extra_data:
  :history:
  - :submitters: []
    :created_at: 2023-12-01 06:59:12.419858000 Z
    :score: 0.0
    :id: 999
submission_1002:
  :submitters:
  - :name: Bob Group
    :sid: '012'
    :email: bob@example.edu
  - :name: Carol Group
    :sid:
    :email: carol@example.edu
  :created_at: 2023-12-03 10:00:00.000000000 -07:00
  :score: 0.0
  :status: processed
  :history: []
submission_1003:
  :submitters:
  - :name: Dan NoFiles
    :sid: '300'
    :email: dan@example.edu
  :created_at: 2023-12-03 10:00:00.000000000 Z
submission_1004:
  :submitters:
  - :name: Nobody Known
  :created_at: 2023-12-03 10:00:00.000000000 Z
submission_1005:
  :submitters:
  - :name: Erin NoZone
    :sid: '500'
    :email: erin@example.edu
  :created_at: 2023-12-03 10:00:00
"""


def gradescope_zip(path: Path, metadata: str = METADATA, extra: dict | None = None) -> Path:
    root = "assignment_4242_export/"
    entries = {
        root + "submission_metadata.yml": metadata,
        root + "submission_1001/answers.py": GOOD,
        root + "submission_1002/hw/answers.py": GOOD,
        root + "submission_1002/hw/notes.txt": "notes",
        root + "submission_1004/answers.py": GOOD,
        root + "submission_1005/answers.py": GOOD,
        root + "submission_7777/answers.py": GOOD,
        "__MACOSX/" + root + "._submission_metadata.yml": b"\0\5\26\7",
    }
    entries.update(extra or {})
    return make_zip(path, entries)


def test_gradescope_export_end_to_end(tmp_path):
    work = tmp_path / "work"
    batch = read_batch_input(gradescope_zip(tmp_path / "export.zip"), work)
    assert batch.kind == "gradescope"
    assert [s.key for s in batch.submissions] == ["012", "06758767", "500"]
    group, alice, erin = batch.submissions

    assert alice.students == (StudentInfo("06758767", "Alice Sun", "alice@example.edu"),)
    assert alice.submitted_at == datetime(2023, 12, 2, 2, 52, 7, 938335, tzinfo=UTC)
    assert alice.source == "gradescope submission 1001"
    assert alice.path.is_file() and alice.path.read_text() == GOOD
    assert work / "input" in alice.path.parents

    # A group submission carries every member; the key is the first member's id; no sid -> email.
    assert group.students == (StudentInfo("012", "Bob Group", "bob@example.edu"),
                              StudentInfo("carol@example.edu", "Carol Group", "carol@example.edu"))
    assert group.submitted_at == datetime(2023, 12, 3, 17, 0, tzinfo=UTC)
    assert group.submitted_at.utcoffset() == timedelta(hours=-7)
    assert group.path.name == "answers.py"

    assert erin.submitted_at is None
    problems = problems_by_entry(batch)
    prefix = "assignment_4242_export/"
    assert set(problems) == {prefix + "submission_1003", prefix + "submission_1004",
                             prefix + "submission_1005", prefix + "submission_7777"}
    assert "holds no files" in problems[prefix + "submission_1003"]
    assert "no submitter has a student id" in problems[prefix + "submission_1004"]
    assert "without a time zone" in problems[prefix + "submission_1005"]
    assert "not listed in submission_metadata.yml" in problems[prefix + "submission_7777"]


def test_gradescope_student_in_two_submissions_keeps_the_newest(tmp_path):
    metadata = """\
submission_1:
  :submitters:
  - {":name": Ann, ":sid": "7", ":email": ann@x.edu}
  :created_at: 2023-12-01 10:00:00.000000000 Z
submission_2:
  :submitters:
  - {":name": Ann, ":sid": "7", ":email": ann@x.edu}
  - {":name": Ben, ":sid": "8", ":email": ben@x.edu}
  :created_at: 2023-12-02 10:00:00.000000000 Z
"""
    zpath = make_zip(tmp_path / "e.zip", {"submission_metadata.yml": metadata,
                                         "submission_1/a.py": GOOD, "submission_2/a.py": GOOD})
    batch = read_batch_input(zpath, tmp_path / "work")
    assert [(s.key, s.source) for s in batch.submissions] == [("7", "gradescope submission 2")]
    assert [s.id for s in batch.submissions[0].students] == ["7", "8"]
    assert "superseded" in problems_by_entry(batch)["submission_1"]


def test_gradescope_metadata_that_is_not_yaml_is_a_clear_error(tmp_path):
    zpath = make_zip(tmp_path / "e.zip", {"submission_metadata.yml": "submission_1: [unclosed\n",
                                         "submission_1/a.py": GOOD})
    with pytest.raises(BatchInputError, match="not valid YAML"):
        read_batch_input(zpath, tmp_path / "work")


def test_an_unzipped_gradescope_export_is_read_as_one(tmp_path):
    zpath = gradescope_zip(tmp_path / "export.zip")
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(zpath) as zf:
        zf.extractall(unzipped)
    batch = read_batch_input(unzipped, tmp_path / "work")
    assert batch.kind == "gradescope"
    assert [s.key for s in batch.submissions] == ["012", "06758767", "500"]


# --- Canvas -------------------------------------------------------------------------------------------

def test_canvas_download_end_to_end(tmp_path):
    zpath = make_zip(tmp_path / "submissions.zip", {
        "smithjohn_12345_67890_answers.py": GOOD,
        "doejane_LATE_23456_67891_answers.py": GOOD,
        "müllerjan_34567_67892_hw3.py": GOOD,
        # the same student twice: the higher file id is the newer upload
        "leeann_45678_67800_answers.py": GOOD,
        "leeann_45678_67999_answers-1.py": GOOD,
        "kimbo_56789_67893_answers.ipynb": "{}",
        "parkjo_67890_text.html": "<p>42</p>",
        "anon_Ab3xY_67894_answers.py": GOOD,
        "answers_final.py": GOOD,
    })
    batch = read_batch_input(zpath, tmp_path / "work")
    assert batch.kind == "canvas"
    assert [s.key for s in batch.submissions] == ["12345", "23456", "34567", "45678"]
    john, jane, jan, ann = batch.submissions
    assert john.students == (StudentInfo("12345", "smithjohn"),)
    assert john.submitted_at is None and not john.marked_late
    assert john.source == "canvas file smithjohn_12345_67890_answers.py"
    assert jane.marked_late and jane.students[0].name == "doejane"
    assert jan.students[0].name == "müllerjan" and jan.path.read_text() == GOOD
    assert ann.path.name == "leeann_45678_67999_answers-1.py"

    problems = problems_by_entry(batch)
    assert set(problems) == {"leeann_45678_67800_answers.py", "kimbo_56789_67893_answers.ipynb",
                             "parkjo_67890_text.html", "anon_Ab3xY_67894_answers.py", "answers_final.py"}
    assert "superseded" in problems["leeann_45678_67800_answers.py"]
    assert "leeann_45678_67999_answers-1.py" in problems["leeann_45678_67800_answers.py"]
    assert "not a Jupyter notebook" in problems["kimbo_56789_67893_answers.ipynb"]  # read, and refused
    assert "text entry" in problems["parkjo_67890_text.html"]
    assert "anonymised" in problems["anon_Ab3xY_67894_answers.py"]
    assert "cannot be told" in problems["answers_final.py"]


def test_canvas_download_wrapped_in_a_folder_and_with_unreadable_files(tmp_path):
    zpath = make_zip(tmp_path / "s.zip", {
        "hw3 submissions/smithjohn_12345_67890_answers.py": GOOD,
        "hw3 submissions/doejane_23456_67891_answers.py": b"\xff\xfe\x00a\x00",
        "hw3 submissions/roeric_34567_67892_answers.py": b"",
    })
    batch = read_batch_input(zpath, tmp_path / "work")
    assert batch.kind == "canvas"
    assert [s.key for s in batch.submissions] == ["12345"]
    problems = problems_by_entry(batch)
    assert "binary" in problems["hw3 submissions/doejane_23456_67891_answers.py"]
    assert "empty" in problems["hw3 submissions/roeric_34567_67892_answers.py"]


def test_a_zip_of_another_layout_is_a_clear_error(tmp_path):
    zpath = make_zip(tmp_path / "class.zip", {"alice.py": GOOD, "bob.py": GOOD})
    with pytest.raises(BatchInputError, match="not a layout this grader knows.*unzip it"):
        read_batch_input(zpath, tmp_path / "work")
    with pytest.raises(BatchInputError, match="damaged zip|neither a folder nor a zip"):
        read_batch_input(write(tmp_path / "broken.zip", b"PK\x03\x04garbage"), tmp_path / "work")


# --- hostile archives ---------------------------------------------------------------------------------

def test_zip_slip_entries_are_refused_and_nothing_escapes(tmp_path):
    work = tmp_path / "deep" / "work"
    zpath = make_zip(tmp_path / "evil.zip", {
        "smithjohn_12345_67890_answers.py": GOOD,
        "../evil_12345_1_x.py": "pwned",
        "a/../../evil2.py": "pwned",
        "/tmp/abs_1_2_x.py": "pwned",
        "..\\win_1_2_x.py": "pwned",
        "C:/drive_1_2_x.py": "pwned",
    })
    batch = read_batch_input(zpath, work)
    assert [s.key for s in batch.submissions] == ["12345"]
    problems = problems_by_entry(batch)
    for name in ("../evil_12345_1_x.py", "a/../../evil2.py", "..\\win_1_2_x.py"):
        assert "'..'" in problems[name] and "refused" in problems[name]
    for name in ("/tmp/abs_1_2_x.py", "C:/drive_1_2_x.py"):
        assert "absolute path" in problems[name]
    assert not (work / "evil_12345_1_x.py").exists() and not (tmp_path / "deep" / "evil2.py").exists()
    assert sorted(p.name for p in (work / "input").rglob("*")) == [".extracted-by-grader",
                                                                   "smithjohn_12345_67890_answers.py"]


def test_symlink_entries_in_a_zip_are_refused(tmp_path):
    zpath = tmp_path / "links.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("smithjohn_12345_67890_answers.py", GOOD)
        link = zipfile.ZipInfo("doejane_23456_67891_answers.py")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    batch = read_batch_input(zpath, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["12345"]
    assert "symbolic link" in problems_by_entry(batch)["doejane_23456_67891_answers.py"]
    assert not os.path.lexists(tmp_path / "work" / "input" / "doejane_23456_67891_answers.py")


def test_archive_caps_on_entries_and_size(tmp_path, monkeypatch):
    zpath = make_zip(tmp_path / "s.zip", {f"s{i}_{i}_{i}_a.py": GOOD * 10 for i in range(1, 6)})
    monkeypatch.setattr(archive, "MAX_ARCHIVE_ENTRIES", 4)
    with pytest.raises(BatchInputError, match="5 entries"):
        read_batch_input(zpath, tmp_path / "work")
    monkeypatch.setattr(archive, "MAX_ARCHIVE_ENTRIES", 100)
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 100)
    with pytest.raises(BatchInputError, match="MiB"):
        read_batch_input(zpath, tmp_path / "work")


def test_an_entry_larger_than_its_header_cannot_overrun_the_cap(tmp_path, monkeypatch):
    zpath = make_zip(tmp_path / "s.zip", {"smithjohn_12345_67890_answers.py": "x = 1\n" * 1000,
                                          "doejane_23456_67891_answers.py": GOOD})
    monkeypatch.setattr(archive, "MAX_ARCHIVE_BYTES", 5000)
    real_infolist = zipfile.ZipFile.infolist

    def lying_infolist(self):  # a header claiming a tiny size: extraction stops at the declared size
        infos = real_infolist(self)
        infos[0].file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    batch = read_batch_input(zpath, tmp_path / "work")
    assert [s.key for s in batch.submissions] == ["23456"]
    assert "cannot be extracted" in problems_by_entry(batch)["smithjohn_12345_67890_answers.py"]
    assert not (tmp_path / "work" / "input" / "smithjohn_12345_67890_answers.py").exists()


def test_an_archive_whose_entries_are_all_refused_says_why(tmp_path):
    zpath = make_zip(tmp_path / "evil.zip", {"../x_1_2_a.py": GOOD})
    with pytest.raises(BatchInputError, match=r"1 entry was refused.*\.\./x_1_2_a.py: a path with '\.\.'"):
        read_batch_input(zpath, tmp_path / "work")


def test_duplicate_entries_and_rerun_into_the_same_workdir(tmp_path):
    zpath = tmp_path / "dup.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("smithjohn_12345_67890_answers.py", GOOD)
        with pytest.warns(UserWarning):
            zf.writestr("smithjohn_12345_67890_answers.py", "q1 = 0\n")
    work = tmp_path / "work"
    batch = read_batch_input(zpath, work)
    assert [s.path.read_text() for s in batch.submissions] == [GOOD]
    assert "appears twice" in problems_by_entry(batch)["smithjohn_12345_67890_answers.py"]
    write(work / "input" / "stale_1_2_x.py", GOOD)
    again = read_batch_input(zpath, work)
    assert [s.key for s in again.submissions] == ["12345"]
    assert not (work / "input" / "stale_1_2_x.py").exists()


def test_a_folder_the_extraction_did_not_make_is_never_emptied(tmp_path):
    zpath = make_zip(tmp_path / "s.zip", {"smithjohn_12345_67890_answers.py": GOOD})
    precious = write(tmp_path / "work" / "input" / "thesis.tex", "years of work")
    with pytest.raises(BatchInputError, match="was not made by an earlier extraction"):
        read_batch_input(zpath, tmp_path / "work")
    assert precious.read_text() == "years of work"
