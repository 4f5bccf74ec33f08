"""`grade gradescope build`: the autograder zip a course uploads to Gradescope.

The zip holds, at its root (files, not a folder, as Gradescope requires):

    setup.sh                 run once, as root, while Gradescope builds the image (Ubuntu 22.04)
    run_autograder           run for every submission: `grade gradescope run`
    dist/grader-*.whl        this project, built as a wheel
    problems/<slug>/...      the assignment's specs
    <reference>              the reference solution (e.g. solutions/<slug>.py)

and nothing else from the course: no submissions, no `.grade-cache`, no other assignment. Both
scripts are recorded as executable (Unix mode bits in the zip entries).

`setup.sh` installs Python 3.11 from Ubuntu's repositories (the grader needs ≥ 3.11; Ubuntu
22.04's `python3` is 3.10), bubblewrap (built from Ubuntu 24.04's source where the packaged one is
too old for strict isolation, as on 22.04) and the system `python3` with `venv` (the sandbox
interpreter `grade sandbox setup` builds from it), creates `/autograder/venv`, installs the wheel,
prepares strict isolation, computes the reference's answers once (so each run skips that step and a
broken reference fails the image build, loudly, instead of every submission), grades the reference
once exactly as run_autograder will (an isolation that cannot actually run a submission fails the
build too) and makes the reference readable by root only. `scripts/check_gradescope_ubuntu.sh`
checks all this on a real Ubuntu 22.04 tree.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.problemset.loader import ProblemSet

SOURCE = "/autograder/source"
VENV = "/autograder/venv"
SKIPPED_PARTS = {"__pycache__", ".grade-cache", ".pytest_cache", ".git", ".venv", "build", "dist"}


class BuildError(Exception):
    """The zip cannot be built; the message says why and what to do."""


@dataclass(frozen=True)
class Built:
    path: Path
    members: tuple[str, ...]
    wheel: str
    wheel_note: str = ""


# -- the project and its wheel -------------------------------------------------------------------

def _is_project(directory: Path) -> bool:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file() or not (directory / "grader" / "__init__.py").is_file():
        return False
    text = pyproject.read_text(encoding="utf-8", errors="replace")
    return 'name = "grader"' in text or "name = 'grader'" in text


def find_project_root(course: Path | None = None) -> Path:
    """The source tree of this grader: where the installed package lives (an editable install or a
    checkout), else the course directory if it is one."""
    import grader

    candidates = [Path(grader.__file__).resolve().parent.parent]
    if course is not None:
        candidates.append(course.resolve())
    for candidate in candidates:
        if _is_project(candidate):
            return candidate
    raise BuildError("cannot find the grader's source tree (a folder with pyproject.toml and grader/): "
                     f"looked in {', '.join(str(c) for c in candidates)}. Run from a checkout of the grader "
                     "(pip install -e .), or pass --wheel with a built wheel.")


def _copy_project(root: Path, into: Path) -> None:
    """The files a wheel is built from, without caches or build leftovers (the checkout is not
    touched: setuptools writes build/ and *.egg-info next to what it builds)."""
    for name in ("pyproject.toml", "README.md", "README.rst", "LICENSE", "LICENSE.txt", "setup.cfg",
                 "setup.py", "MANIFEST.in"):
        if (root / name).is_file():
            shutil.copy2(root / name, into / name)
    shutil.copytree(root / "grader", into / "grader",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))


def _pip_wheel(source: Path, out: Path, isolated: bool) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
            "-w", str(out), str(source)]
    if not isolated:
        argv.insert(5, "--no-build-isolation")
    return subprocess.run(argv, capture_output=True, text=True, timeout=600)


def _pip_error(stderr: str) -> str:
    """The line of pip's output that says what went wrong."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error:" in line and "exited-with-error" not in line and "generation-failed" not in line:
            return line[:200]
    return (lines or ["no output"])[-1][:200]


def build_wheel(root: Path, out: Path) -> tuple[Path, str]:
    """Build this project's wheel into `out`; return it and a note on how it was built.

    First `pip wheel --no-deps --no-build-isolation` (offline, with the build backend installed
    here); if this environment lacks it (setuptools ≥ 68 with `wheel`), pip builds it in an
    isolated environment, fetching the backend from the package index."""
    with tempfile.TemporaryDirectory(prefix="grade-wheel-") as scratch:
        source = Path(scratch) / "src"
        source.mkdir()
        _copy_project(root, source)
        out.mkdir(parents=True, exist_ok=True)
        note = "built with pip wheel --no-build-isolation"
        result = _pip_wheel(source, out, isolated=False)
        if result.returncode != 0:
            first = result
            result = _pip_wheel(source, out, isolated=True)
            note = ("built with pip wheel in an isolated build environment (this environment's build "
                    f"backend could not build it without isolation: {_pip_error(first.stderr)})")
        if result.returncode != 0:
            raise BuildError("building the grader's wheel failed:\n" + (result.stderr or result.stdout)[-3000:])
    wheels = sorted(out.glob("grader-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one grader wheel in {out}, found {[w.name for w in wheels]}")
    return wheels[0], note


def _check_wheel(wheel: Path) -> None:
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise BuildError(f"{wheel} is not a wheel ({exc})") from None
    needed = {"grader/cli/__init__.py", "grader/sandbox/child/harness.py", "grader/gradescope/run.py",
              "grader/gradescope/worker.py"}
    missing = sorted(needed - names)
    if missing:
        raise BuildError(f"{wheel.name} lacks {', '.join(missing)}: it is not a wheel of this grader "
                         "(with Gradescope support)")


# -- the scripts ---------------------------------------------------------------------------------

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image (Ubuntu 22.04, with
# network access). Built by `grade gradescope build` for the assignment {slug}.
set -euo pipefail
SOURCE={source}
VENV={venv}
export DEBIAN_FRONTEND=noninteractive
# /usr/local/bin first: a bubblewrap built below goes there.
export PATH="/usr/local/sbin:/usr/local/bin:$PATH"

apt-get update -qq
# python3-venv, python3-pip and python3.11 are in Ubuntu's universe component, which Gradescope's
# image (like Docker's ubuntu:22.04) enables; enable it where it is not, before installing any.
if ! apt-get install -s -qq python3-venv python3-pip python3.11-venv >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends software-properties-common
    add-apt-repository -y universe
    apt-get update -qq
fi
# python3 (3.10 on Ubuntu 22.04) with venv: the sandbox interpreter is built from it.
# bubblewrap: strict isolation of the submissions. ca-certificates: pip downloads over HTTPS.
apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip bubblewrap ca-certificates
# The grader itself needs Python >= 3.11: Ubuntu 22.04 has python3.11 in jammy-updates' universe
# (3.11.0~rc1; the jammy pocket itself has none).
apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv

# Ubuntu 22.04's bubblewrap (0.6.1) has no --size, which strict isolation passes to cap the
# submission's /tmp (a tmpfs, held in memory): every strict run would fail to start. Build
# bubblewrap 0.9.0 (Ubuntu 24.04's) from the Ubuntu archive's source tarball, checked against its
# SHA-256, into /usr/local/bin; then remove the packaged one, so that no PATH finds the old one.
if ! grep -q -e --size <<<"$(bwrap --help 2>&1)"; then
    BWRAP=bubblewrap-0.9.0
    BWRAP_TAR=bubblewrap_0.9.0.orig.tar.xz
    BWRAP_SHA256=c6347eaced49ac0141996f46bba3b089e5e6ea4408bc1c43bab9f2d05dd094e1
    apt-get install -y -qq --no-install-recommends gcc libc6-dev libcap-dev meson ninja-build pkg-config xz-utils
    build=$(mktemp -d)
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \\
        "http://archive.ubuntu.com/ubuntu/pool/main/b/bubblewrap/$BWRAP_TAR" "$build/$BWRAP_TAR"
    echo "$BWRAP_SHA256  $build/$BWRAP_TAR" | sha256sum -c --quiet
    tar -xJf "$build/$BWRAP_TAR" -C "$build"
    meson setup --prefix=/usr/local -Dman=disabled -Dselinux=disabled -Dtests=false \\
        -Dbash_completion=disabled -Dzsh_completion=disabled "$build/out" "$build/$BWRAP" >/dev/null
    meson compile -C "$build/out" >/dev/null
    meson install -C "$build/out" >/dev/null
    rm -rf "$build"
    apt-get remove -y -qq bubblewrap
    hash -r
    grep -q -e --size <<<"$(bwrap --help 2>&1)"
    echo "Installed $(bwrap --version) in $(command -v bwrap)"
fi

rm -rf "$VENV"
/usr/bin/python3.11 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$SOURCE/dist/{wheel}"

# Strict isolation: the sandbox user and /opt/grader-sandbox (from /usr/bin/python3, with numpy,
# scipy and sympy). Where the container forbids namespaces, submissions are graded at the user level
# (the sandbox user, no namespaces); where this setup fails, at the process level.
if ! "$VENV/bin/grade" sandbox setup --users 1; then
    echo "WARNING: grade sandbox setup failed: submissions will be graded at the process level" >&2
fi
"$VENV/bin/grade" sandbox check || true

# The reference solution's answers, computed once here rather than in every run (a broken
# reference fails this build, rather than every submission).
"$VENV/bin/python" -m grader.gradescope.precompute --course "$SOURCE" --assignment {slug}

# A trial run, exactly as run_autograder grades, with the reference solution as the submission:
# an isolation that passes `grade sandbox check` but cannot run a submission here (e.g. a container
# that lets bubblewrap create namespaces but not mount /proc) fails this build, loudly, rather than
# giving every student a grader error.
trial=$(mktemp -d)
mkdir -p "$trial/submission" "$trial/results"
cp "$SOURCE/{reference}" "$trial/submission/answers.py"
"$VENV/bin/grade" gradescope run --root "$trial" --course "$SOURCE" --assignment {slug} \\
    --isolation {isolation} --deadline {deadline:g} >"$trial/log" 2>&1 || true
if ! "$VENV/bin/python" - "$trial/results/results.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
grader = data.get("extra_data", dict()).get("grader", dict())
print("Trial run on the reference solution: score", data.get("score"), "status", grader.get("status"),
      "isolation", grader.get("isolation"))
sys.exit(0 if grader.get("status") == "graded" else 1)
PY
then
    cat "$trial/log" >&2
    echo "ERROR: the trial run of the reference solution was not graded (see above). If isolation" \\
         "strict is the cause, rebuild the zip with: grade gradescope build --isolation process" >&2
    exit 1
fi
rm -rf "$trial"

# What decides a score is root's alone: the whole source folder (specs with their accepted answers,
# the reference, its cached answers). The submission runs from a staged copy elsewhere and needs none
# of it; each run also makes /autograder itself root-only (grade gradescope run).
chmod 600 "$SOURCE/{reference}"
chmod 700 "$SOURCE/{reference_dir}"
if [ -d "$SOURCE/.grade-cache" ]; then chmod -R go-rwx "$SOURCE/.grade-cache"; fi
chmod +x "$SOURCE/run_autograder"
chmod 700 "$SOURCE"
echo "Autograder for {slug} is set up."
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission. Built by `grade gradescope build` for {slug}.
# AUTOGRADER_ROOT, AUTOGRADER_VENV and AUTOGRADER_ISOLATION exist only to test it outside Gradescope.
set -u
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
VENV="${{AUTOGRADER_VENV:-{venv}}}"
ISOLATION="${{AUTOGRADER_ISOLATION:-{isolation}}}"
mkdir -p "$ROOT/results"
rm -f "$ROOT/results/results.json"
cd "$ROOT/source" 2>/dev/null || cd "$ROOT"
"$VENV/bin/grade" gradescope run --root "$ROOT" --course "$ROOT/source" --assignment {slug} \\
    --isolation "$ISOLATION" --deadline {deadline:g} --filename {filename}
status=$?
if [ ! -s "$ROOT/results/results.json" ]; then
    # The grader could not even start: the student still gets a valid, honest result.
    echo "grade gradescope run exited with status $status and wrote no results.json"
    cat > "$ROOT/results/results.json" <<'JSON'
{fallback}
JSON
fi
exit 0
"""


def fallback_results(problem_set: ProblemSet) -> str:
    """The results.json run_autograder writes if the grader cannot start at all."""
    message = ("**The autograder could not start**, so this submission was not graded. This is not a "
               "problem with your work: course staff can see the details and will fix it and rerun the "
               "autograder.")
    possible = round(problem_set.points, 6)
    return json.dumps({
        "score": 0.0, "output": message + "\n", "output_format": "md", "test_output_format": "md",
        "visibility": "visible", "stdout_visibility": "hidden",
        "extra_data": {"grader": {"status": "grader_error", "assignment": problem_set.assignment.slug}},
        "tests": [{"name": "Grading", "number": "0", "score": 0.0, "max_score": possible, "status": "failed",
                   "output": message + "\n", "output_format": "md", "visibility": "visible"}],
    }, ensure_ascii=True)


def scripts(problem_set: ProblemSet, wheel: str, reference: str, isolation: str,
            deadline: float, filename: str = "answers.py") -> dict[str, str]:
    slug = problem_set.assignment.slug
    reference_dir = str(Path(reference).parent) if Path(reference).parent != Path(".") else "."
    return {
        "setup.sh": SETUP_SH.format(slug=slug, source=SOURCE, venv=VENV, wheel=wheel, reference=reference,
                                    reference_dir=reference_dir, isolation=isolation, deadline=deadline),
        "run_autograder": RUN_AUTOGRADER.format(slug=slug, venv=VENV, isolation=isolation, deadline=deadline,
                                                filename=shlex.quote(filename),
                                                fallback=fallback_results(problem_set)),
    }


# -- the zip -------------------------------------------------------------------------------------

def _relative_reference(problem_set: ProblemSet) -> str:
    course = problem_set.course_root.resolve()
    reference = problem_set.reference_path.resolve()
    try:
        relative = reference.relative_to(course)
    except ValueError:
        raise BuildError(f"the reference solution {problem_set.reference_path} lies outside the course "
                         f"directory {course}; put it there (e.g. solutions/{problem_set.assignment.slug}.py)"
                         ) from None
    if problem_set.reference_path.is_symlink():
        raise BuildError(f"the reference solution {problem_set.reference_path} is a symbolic link; "
                         "use the file itself")
    return relative.as_posix()


def _spec_files(problem_set: ProblemSet) -> list[tuple[str, Path]]:
    """problems/<slug>/*: the specs (regular files directly in the folder; no caches, no links)."""
    directory = problem_set.directory
    slug = problem_set.assignment.slug
    files = []
    for path in sorted(directory.iterdir()):
        if path.is_symlink() or not path.is_file() or path.name.startswith("."):
            continue
        files.append((f"problems/{slug}/{path.name}", path))
    return files


def _entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.create_system = 3  # Unix: unzip restores the mode bits below
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def build_zip(problem_set: ProblemSet, out: Path, wheel: Path | None = None, isolation: str = "auto",
              deadline: float = 480.0, filename: str = "answers.py") -> Built:
    """Write the autograder zip for `problem_set` to `out` (atomically)."""
    reference = _relative_reference(problem_set)
    note = "given with --wheel"
    with tempfile.TemporaryDirectory(prefix="grade-build-") as scratch:
        if wheel is None:
            wheel, note = build_wheel(find_project_root(problem_set.course_root), Path(scratch) / "dist")
        _check_wheel(wheel)
        members: list[tuple[zipfile.ZipInfo, bytes]] = []
        for name, text in scripts(problem_set, wheel.name, reference, isolation, deadline, filename).items():
            members.append((_entry(name, 0o755), text.encode("utf-8")))
        members.append((_entry(f"dist/{wheel.name}", 0o644), wheel.read_bytes()))
        for name, path in _spec_files(problem_set):
            members.append((_entry(name, 0o644), path.read_bytes()))
        members.append((_entry(reference, 0o644), problem_set.reference_path.read_bytes()))

        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w") as archive:
                for info, data in members:
                    archive.writestr(info, data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return Built(out, tuple(info.filename for info, _ in members), wheel.name, note)
