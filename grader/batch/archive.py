"""Extracting an uploaded archive safely: regular files only, never outside the target folder
(no absolute paths, no `..`, no links), with caps on entries and on the uncompressed size, into a
folder of its own that is emptied on every run."""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
import zlib
from pathlib import Path

from grader.batch.entries import BatchInputError, Problems, is_junk

MAX_ARCHIVE_BYTES = 512 << 20
"""Total uncompressed size an archive may extract to."""
MAX_ARCHIVE_ENTRIES = 20_000
EXTRACT_DIR = "input"
"""Archives are extracted into `workdir/input/` (emptied first if an earlier extraction made it)."""
_EXTRACTED_MARKER = ".extracted-by-grader"


class _ArchiveTooBig(Exception):
    pass


def extract_zip(archive: Path, workdir: Path, problems: Problems) -> Path:
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
            if not parts or any(is_junk(p) for p in parts):
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
