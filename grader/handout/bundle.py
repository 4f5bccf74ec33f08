"""Build a student bundle: the prompts, the starter file, the public specs and the grader.

    DIR/README.md                 how to set up and check your work
    DIR/questions.md              the questions (from the public specs)
    DIR/answers.py                the starter file (grader/handout/starter.py, with the bundle's header)
    DIR/answers.ipynb             the same starter as a notebook (grader/handout/starter_notebook.py)
    DIR/problems/<slug>/*.yaml    the specs, stripped by public_spec.py (`mode: public`)
    DIR/grader/                   a copy of the grader package's source (.py, templates, schema)
    DIR/requirements.txt          the grader's runtime dependencies
    DIR/pyproject.toml            the bundle as a project: `pip install -e .` gives the `grade` command
    DIR/.grader-bundle.json       the marker that lets `--force` replace an old bundle

Never copied: the reference solution, `solutions/`, `submissions/`, `.grade-cache/`, tests,
`__pycache__`. The bundle is built in a temporary sibling folder and moved into place, so a failed
build leaves no half-written bundle.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import grader
from grader.handout import docs, starter, starter_notebook
from grader.handout.public_spec import (
    load_public_problem_set,
    public_problem_set,
    write_public_problem_set,
)
from grader.problemset.loader import ProblemSet

MARKER = ".grader-bundle.json"
PACKAGE_SUFFIXES = {".py", ".j2", ".json", ".typed"}
"""The grader's source and package data (pyproject's package-data: templates, schema, py.typed)."""
FORBIDDEN_NAMES = {"solutions", ".grade-cache", "submissions", "tests", "__pycache__"}
FALLBACK_REQUIREMENTS = ["pydantic>=2.6", "pyyaml>=6", "numpy>=1.26", "scipy>=1.11", "sympy>=1.12",
                         "jinja2>=3.1", "click>=8.1", "tqdm>=4.66"]


class BundleError(Exception):
    """The bundle cannot be written where asked (the message says why and what to do)."""


@dataclass(frozen=True)
class BundleResult:
    directory: Path
    files: tuple[Path, ...]
    """Every file written, relative to `directory`."""
    parts: int


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("grader")
    except metadata.PackageNotFoundError:
        return "unknown"


def requirements() -> list[str]:
    """Runtime dependencies: the project's pyproject.toml when the grader runs from source."""
    import tomllib

    pyproject = Path(grader.__file__).resolve().parents[1] / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        deps = data["project"]["dependencies"]
        if isinstance(deps, list) and all(isinstance(d, str) for d in deps):
            return list(deps)
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    return list(FALLBACK_REQUIREMENTS)


def bundle_pyproject(slug: str, version: str, deps: list[str]) -> str:
    """The bundle as an installable project: `pip install -e .` gives the student the `grade`
    command running the bundled grader, as the project's README tells students to use it."""
    listed = "".join(f"    {json.dumps(d)},\n" for d in deps)
    plain_version = version if version[:1].isdigit() else "0"
    return f"""[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "grader-bundle-{slug}"
version = "{plain_version}"
description = "The student bundle of {slug}: the grader's local check"
requires-python = ">=3.11"
dependencies = [
{listed}]

[project.scripts]
grade = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
"*" = ["*.j2", "*.json", "py.typed"]
"""


def answers_template(problem_set: ProblemSet) -> str:
    """grader/handout/starter.py's starter file, with a header that points to the bundle's check.

    The engine's own header suggests `grade submit` (not available without the reference) and
    gives an example answer; the bundle's header uses a neutral example instead.
    """
    text = starter.render_template(problem_set, "answers.py")
    engine_header = starter.HEADER.format(title=problem_set.assignment.title, filename="answers.py")
    header = docs.ANSWERS_HEADER.format(title=problem_set.assignment.title, check=docs.CHECK_COMMAND)
    if not text.startswith(engine_header):
        raise BundleError("grader/handout/starter.py's header changed: update grader/handout/bundle.py")
    return header + text[len(engine_header):]


def _copy_package(target: Path) -> list[Path]:
    source = Path(grader.__file__).resolve().parent
    written = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part in FORBIDDEN_NAMES or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.is_symlink() and path.suffix in PACKAGE_SUFFIXES:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            written.append(destination)
    return written


def _prepare(out: Path, force: bool) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BundleError(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise BundleError(f"{out} is not empty and is not a student bundle; choose a new or empty "
                              "folder for --out")
        if not force:
            raise BundleError(f"{out} already holds a student bundle; add --force to replace it")


def _write(stage: Path, problem_set: ProblemSet) -> None:
    slug = problem_set.assignment.slug
    public = public_problem_set(problem_set)
    policy = problem_set.assignment.policies.tolerance
    deps = requirements()
    (stage / "README.md").write_text(
        docs.render_readme(public, policy.rtol, policy.atol, _version(), deps), encoding="utf-8")
    (stage / "questions.md").write_text(docs.render_questions(public), encoding="utf-8")
    (stage / "answers.py").write_text(answers_template(problem_set), encoding="utf-8")
    (stage / "answers.ipynb").write_text(starter_notebook.render_notebook(
        problem_set, "answers.ipynb", docs.CHECK_COMMAND.replace("answers.py", "answers.ipynb")), encoding="utf-8")
    (stage / "requirements.txt").write_text("\n".join(deps) + "\n", encoding="utf-8")
    (stage / "pyproject.toml").write_text(bundle_pyproject(slug, _version(), deps), encoding="utf-8")
    write_public_problem_set(problem_set, stage / "problems" / slug)
    _copy_package(stage / "grader")
    (stage / MARKER).write_text(json.dumps({"kind": "student-bundle", "format": 1, "assignment": slug,
                                            "grader": _version()}, indent=2) + "\n", encoding="utf-8")
    load_public_problem_set(stage / "problems" / slug)  # the bundle's own specs must load


def build_student_bundle(problem_set: ProblemSet, out: Path, force: bool = False) -> BundleResult:
    """Write the student bundle of `problem_set` to `out` (new, empty, or an old bundle with force)."""
    out = Path(out)
    _prepare(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        stage.chmod(0o755)
        _write(stage, problem_set)
        if out.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            out.rename(old / "bundle")
            stage.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            stage.rename(out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    files = tuple(sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()))
    return BundleResult(out, files, sum(len(q.parts) for q in problem_set.questions))
