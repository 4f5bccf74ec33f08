"""The student bundle: its layout, that it leaks no secret, and its local checker.

The leak test collects every secret of the full problem set — expected answers (the reference
solution run through the grader's own harness, at visible AND hidden inputs), common mistakes
(values, refs, messages, and the values the reference computes for them), hidden inputs and the
seed that draws them, boundary inputs' special status, rubrics, model answers, explanations,
option feedback, the reference's own source lines — and asserts that none occurs in any file of
the bundle, read as text (YAML files also parsed, so that no escaping can hide a string).
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from grader.checking.reference import run_reference
from grader.handout import docs
from grader.handout.bundle import MARKER, answers_template
from grader.handout.check import check_submission
from grader.handout.check_report import render
from grader.handout.cli import bundle
from grader.handout.public_spec import (
    PublicChoice,
    PublicFunction,
    PublicMultiChoice,
    load_public_problem_set,
    public_problem_set,
)
from grader.problemset.loader import SpecError, find_problem_set, load_problem_set
from grader.problemset.plan import build_plan, hidden_inputs
from grader.problemset.spec import (
    ChoiceChecker,
    FreeTextChecker,
    FunctionChecker,
    MultiChoiceChecker,
)
from grader.sandbox import levels
from grader.sandbox.wire import (
    CallableInfo,
    NumpyArray,
    NumpyScalar,
    OpaqueObject,
    SympyTree,
)

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ["genmodels", "probability"]


def load(slug: str):
    return load_problem_set(find_problem_set(ROOT, slug), ROOT)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, Path]:
    """One bundle per assignment, built through the click command as a course would."""
    built = {}
    for slug in ASSIGNMENTS:
        out = tmp_path_factory.mktemp(f"bundle-{slug}") / "student"
        result = CliRunner().invoke(bundle, ["student", "--out", str(out), "--course", str(ROOT),
                                             "--assignment", slug])
        assert result.exit_code == 0, result.output
        assert "pip install -e ." in result.output and "grade submit answers.py" in result.output
        built[slug] = out
    return built


def files_of(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


def run_check(bundle_dir: Path, filename: str) -> subprocess.CompletedProcess:
    """The bundled checker as a student runs it: from the bundle's folder, with no path tricks."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run([sys.executable, "-m", "grader.handout.check", filename], cwd=bundle_dir,
                          capture_output=True, text=True, timeout=180, env=env)


def part_lines(output: str, names: list[str]) -> dict[str, str]:
    """name → the rest of that part's report line ("ready", "not answered: ...", "problem: ...")."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^\S+\s+(\w+)\s+[\d.]+ pts?\s+(.*)$", line)
        if match and match.group(1) in names:
            found[match.group(1)] = match.group(2)
    assert sorted(found) == sorted(names), output
    return found


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ASSIGNMENTS)
def test_layout(bundles, slug):
    out = bundles[slug]
    ps = load(slug)
    names = {str(p.relative_to(out)) for p in files_of(out)}
    for needed in ["README.md", "questions.md", "answers.py", "answers.ipynb", "requirements.txt", MARKER,
                   f"problems/{slug}/assignment.yaml", "grader/__init__.py", "grader/sandbox/child/harness.py",
                   "grader/sandbox/runner.py", "grader/handout/check.py", "grader/checking/checkers/number.py",
                   "grader/report/render/report.schema.json"]:
        assert needed in names, needed
    assert {f"problems/{slug}/{q.id}.yaml" for q in ps.questions} <= names
    assert not [n for n in names if n.startswith("problems/") and not n.startswith(f"problems/{slug}/")]
    assert (out / "answers.py").read_text(encoding="utf-8") == answers_template(ps)
    assert json.loads((out / MARKER).read_text())["assignment"] == slug


@pytest.mark.parametrize("slug", ASSIGNMENTS)
def test_no_solutions_cache_submissions_or_reference(bundles, slug):
    out = bundles[slug]
    ps = load(slug)
    for path in out.rglob("*"):
        parts = path.relative_to(out).parts
        assert "solutions" not in parts and ".grade-cache" not in parts, path
        assert "submissions" not in parts and "__pycache__" not in parts and "tests" not in parts, path
        assert path.suffix not in {".pyc", ".pyo", ".sqlite"}, path
    assert not list(out.rglob(ps.reference_path.name))  # e.g. genmodels.py
    reference = ps.reference_path.read_bytes()
    assert all(p.read_bytes() != reference for p in files_of(out))


@pytest.mark.parametrize("slug", ASSIGNMENTS)
def test_public_specs_load_and_hold_only_whitelisted_fields(bundles, slug):
    out = bundles[slug]
    ps = load(slug)
    directory = out / "problems" / slug
    public = load_public_problem_set(directory)
    assert public.assignment == public_problem_set(ps).assignment
    assert public.questions == public_problem_set(ps).questions
    assert [q.id for q in public.questions] == [q.id for q in ps.questions]
    assert public.points == ps.points
    # A stripped set is never mistaken for a complete one: the full loader refuses it.
    with pytest.raises(SpecError):
        load_problem_set(directory, out)

    secret_keys = {"reference", "expected", "mistakes", "value", "ref", "message", "explanation",
                   "hidden_inputs", "boundary_inputs", "seed", "rubric", "patterns", "feedback",
                   "model_answer", "accept", "correct", "policies", "rtol", "atol", "count", "args",
                   "uniform", "uniform_list", "integer", "index_into", "length", "same_length_as"}

    def keys(node: Any, inside_inputs: bool = False) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if not inside_inputs:  # visible inputs' keys are argument names, not fields
                    yield key
                yield from keys(value, inside_inputs or key in {"visible_inputs", "parameters"})
        elif isinstance(node, list):
            for item in node:
                yield from keys(item, inside_inputs)

    for path in directory.glob("*.yaml"):
        found = set(keys(yaml.safe_load(path.read_text(encoding="utf-8")))) & secret_keys
        assert not found, f"{path.name}: {found}"


def test_option_order_is_by_key_not_the_courses(bundles):
    """Course authors tend to list the accepted option first (1a: flows; 1b: gans; 4f: data)."""
    directory = bundles["genmodels"] / "problems" / "genmodels"
    public = load_public_problem_set(directory)
    seen = 0
    for _, part in public.parts():
        if isinstance(part.checker, (PublicChoice, PublicMultiChoice)):
            keys = [o.key for o in part.checker.options]
            assert keys == sorted(keys)
            seen += 1
    assert seen >= 7


def test_answers_template_points_to_the_bundle_check(bundles):
    text = (bundles["genmodels"] / "answers.py").read_text(encoding="utf-8")
    assert text.startswith(docs.ANSWERS_HEADER.format(
        title=load("genmodels").assignment.title, check=docs.CHECK_COMMAND))
    assert "grade submit answers.py" in text  # the bundle installs the `grade` command (pip install -e .)
    for _, part in load("genmodels").parts():
        assert re.search(rf"^def {part.name}\(", text, re.M), part.name
    compile(text, "answers.py", "exec")


def test_refuses_to_overwrite_and_replaces_a_bundle_with_force(tmp_path):
    runner = CliRunner()
    args = ["student", "--course", str(ROOT), "--assignment", "probability", "--out"]
    other = tmp_path / "homework"
    other.mkdir()
    (other / "mine.txt").write_text("my notes")
    result = runner.invoke(bundle, [*args, str(other)])
    assert result.exit_code == 1 and "not a student bundle" in result.output
    assert (other / "mine.txt").read_text() == "my notes"

    out = tmp_path / "bundle"
    assert runner.invoke(bundle, [*args, str(out)]).exit_code == 0
    (out / "answers.py").write_text("# stale")
    result = runner.invoke(bundle, [*args, str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    result = runner.invoke(bundle, [*args, str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert (out / "answers.py").read_text() != "# stale"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers

    result = runner.invoke(bundle, ["student", "--course", str(ROOT), "--assignment", "nope",
                                    "--out", str(tmp_path / "x")])
    assert result.exit_code == 3


# ---------------------------------------------------------------------------------------------
# No secret anywhere in the bundle
# ---------------------------------------------------------------------------------------------


def _numbers_and_strings(value: Any) -> Iterator[float | str]:
    """Every number and string inside a decoded answer (tuples, arrays, sympy trees included)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, complex):
        yield value.real
        yield value.imag
    elif isinstance(value, str):
        yield value
    elif isinstance(value, SympyTree):
        yield value.text
    elif isinstance(value, NumpyScalar):
        yield from _numbers_and_strings(value.value)
    elif isinstance(value, NumpyArray):
        for item in value.data:
            yield from _numbers_and_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers_and_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers_and_strings(item)
    elif isinstance(value, (CallableInfo, OpaqueObject)):
        return
    else:
        raise AssertionError(f"unexpected decoded value {value!r}")


def _number_forms(x: float, repr_only: bool = False) -> tuple[set[str], bool]:
    """repr, 4 and 6 significant figures, without the sign (a leak may carry a Unicode minus,
    "−0.6931", that no ASCII form matches); and whether the number is short (see below)."""
    if not math.isfinite(x):
        # Excluded: ±∞ and NaN are spelled "inf", "∞", "nan": words every prompt about KL and
        # ELBO uses ("infinite values are written `math.inf`"), and the engine's own source.
        return set(), False
    if float(x).is_integer() and abs(x) < 100:
        # Excluded: whole numbers below 100 (0, 1, −1, 2, 6, 21) in every spelling ("1", "1.0"):
        # counts, indices, points and list positions occur on every page and in every module.
        return set(), False
    forms = {repr(float(x)) if isinstance(x, float) else repr(x)}
    if not repr_only:
        forms |= {f"{x:.4g}", f"{x:.6g}"}
    # Short: at most two significant figures (0.5, 0.02, 0.28, 3.5, 1.4, and 0.1 + 0.2 =
    # 0.30000000000000004). Checked in every course-specific file, but not in the engine's
    # source, where such numbers are its own constants (a 0.02 threshold, a 1.4em line height, a
    # comment on 3 × 0.1); the engine copy is shown to be the unchanged generic grader instead.
    short = len(f"{abs(x):.6g}".replace(".", "").lstrip("0").rstrip("0")) <= 2
    return {f.lstrip("-") for f in forms}, short
def _norm(text: str) -> str:
    return " ".join(text.split())


def _fragments(text: str) -> set[str]:
    """The whole text and each of its sentences of 30+ characters (a partial copy is a leak too)."""
    text = _norm(text)
    pieces = {text}
    pieces |= {s.strip() for s in re.split(r"(?<=[.;:!?])\s+", text) if len(s.strip()) >= 30}
    return pieces


class Secrets:
    def __init__(self) -> None:
        self.numbers: dict[str, tuple[str, bool]] = {}   # number form → (where from, short)
        self.sources: dict[str, set[str]] = {}           # number form → every place it comes from
        self.texts: dict[str, str] = {}                  # text → where it comes from

    def number(self, x: Any, where: str, repr_only: bool = False) -> None:
        for item in _numbers_and_strings(x):
            if isinstance(item, str):
                self.text(item, where)
            else:
                forms, short = _number_forms(item, repr_only)
                for form in forms:
                    self.numbers.setdefault(form, (where, short))
                    self.sources.setdefault(form, set()).add(where)

    def text(self, text: str, where: str, fragments: bool = False) -> None:
        for piece in (_fragments(text) if fragments else {_norm(text)}):
            if piece:
                self.texts.setdefault(piece, where)


@functools.cache
def collect_secrets(slug: str) -> tuple[Secrets, str]:
    """The secrets of the full problem set, and its public text (prompts, titles, inputs)."""
    ps = load(slug)
    plan = build_plan(ps)
    reference = run_reference(ps, plan)
    assert reference.answers and not reference.grader_error
    secrets = Secrets()
    public = [ps.assignment.title, *ps.assignment.sections.values(), yaml.safe_dump(ps.assignment.parameters)]

    # Expected answers and the reference's mistakes, at every visible, boundary and hidden input.
    for rid, raw in reference.answers.items():
        secrets.number(raw.value, f"reference answer {rid}")
    secrets.number(ps.assignment.seed, "the seed of the hidden inputs")
    for question, part in ps.parts():
        where = f"{question.id}/{part.name}"
        public += [question.title, question.prompt, part.prompt or "", part.name]
        checker = part.checker
        if part.expected:
            secrets.text(part.expected, f"{where}: the reference's name")
        if part.explanation:
            secrets.text(part.explanation, f"{where}: explanation", fragments=True)
        for j, mistake in enumerate(part.mistakes):
            secrets.text(mistake.message, f"{where}: mistake {j} message", fragments=True)
            if mistake.ref:
                secrets.text(mistake.ref, f"{where}: mistake {j} ref")
            else:
                secrets.number(mistake.value, f"{where}: mistake {j} value")
        if isinstance(checker, (ChoiceChecker, MultiChoiceChecker)):
            for option in checker.options:
                public += [option.key, *option.aliases]
                if option.feedback:
                    secrets.text(option.feedback, f"{where}: feedback of option {option.key}",
                                 fragments=True)
        if isinstance(checker, FreeTextChecker):
            secrets.text(checker.model_answer, f"{where}: model answer", fragments=True)
            for concept in checker.rubric:
                secrets.text(concept.name, f"{where}: rubric concept")
                secrets.text(concept.feedback, f"{where}: rubric feedback", fragments=True)
                for pattern in concept.patterns:
                    secrets.text(pattern, f"{where}: rubric pattern")
        if isinstance(checker, FunctionChecker):
            public += [yaml.safe_dump(checker.visible_inputs)]
            # Hidden inputs: the exact values the grader draws (4 decimals, so their repr).
            for case in hidden_inputs(part, checker, ps.assignment.seed):
                secrets.number(case, f"{where}: hidden input", repr_only=True)
            # Hidden-input specs (ranges, counts) and boundary inputs are short common numbers
            # such as 3.0 or 0.5: their absence is proved structurally, by the whitelist of
            # YAML fields in test_public_specs_load_and_hold_only_whitelisted_fields.

    # The reference solution's own source, line by line.
    # Not: rulers such as "# -----" (no letter in them), and the `def` lines of answers, whose
    # signatures are public (the template's stubs repeat them).
    answer_names = {p.name for _, p in ps.parts()}
    for line in ps.reference_path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        signature = re.match(r"def (\w+)\(", line)
        if len(line) >= 30 and re.search(r"[A-Za-z]", line) and not (
                signature and signature.group(1) in answer_names):
            secrets.text(line, "a line of the reference solution")
    return secrets, "\n".join(public)


def _numeric_tokens(text: str) -> set[str]:
    """Every unsigned number written in `text`, whole ("10.69312", never its part "0.6931")."""
    return set(re.findall(r"(?<!\d)(?<!\d\.)\d+(?:\.\d+)?(?:e[-+]?\d+)?", text))


def _yaml_strings(node: Any) -> list[str]:
    """Every key and scalar of a parsed YAML document, as text, in document order."""
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (str(k), *_yaml_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _yaml_strings(v)]
    return [str(node)]


def bundle_texts(directory: Path) -> dict[str, str]:
    texts = {}
    for path in files_of(directory):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".yaml":  # parsed too: a string YAML escapes must still be found
            text += "\n" + "\n".join(_yaml_strings(yaml.safe_load(text)))
        texts[str(path.relative_to(directory))] = text
    return texts


# Known engine examples (grader/ source) that quote a genmodels answer would be listed here, one by
# one, so that nothing else can hide behind them. The engine's examples use neutral values now.
ENGINE_EXAMPLES: set[tuple[str, str]] = set()


def test_the_engine_copy_is_the_unchanged_generic_grader(bundles):
    """Nothing course-specific is written into the bundle's grader/: each file is a byte-for-byte
    copy of the installed package's (unless that file was edited after the bundle was built)."""
    import grader

    source = Path(grader.__file__).resolve().parent
    for out in bundles.values():
        built = (out / MARKER).stat().st_mtime
        copies = [p for p in files_of(out / "grader")]
        assert len(copies) > 30
        for copy in copies:
            original = source / copy.relative_to(out / "grader")
            if original.exists() and original.stat().st_mtime <= built:
                assert copy.read_bytes() == original.read_bytes(), copy


def find_leaks(slug: str, directory: Path) -> list[str]:
    """Every secret of `slug`'s full problem set found in any file under `directory`."""
    secrets, public_text = collect_secrets(slug)
    public_norm = _norm(public_text)
    public_numbers = _numeric_tokens(public_text)
    option_words = {o.key.lower() for _, part in load(slug).parts()
                    if isinstance(part.checker, (ChoiceChecker, MultiChoiceChecker))
                    for o in part.checker.options}

    # Excluded numbers: those the public document itself prints — in a prompt (2d's "e.g. 0.8413"),
    # an input of a function the document gives (4b's alpha_bars [0.9, 0.72]) or a parameter — are
    # the document's values, which the bundle must contain.
    numbers = {form: info for form, info in secrets.numbers.items() if form not in public_numbers}
    # Excluded texts: option keys ("flows", "gans", the "a" and "c" of ["a", "c"]): a choice
    # answer is a key and the keys are what a student writes, so the bundle must list them (in a
    # neutral order, see test_option_order_is_by_key_not_the_courses); strings the public text
    # contains (a rubric word such as "manifold" that a prompt uses); single plain words
    # ("sharp", "decod", "implicit", "1024": rubric patterns that are ordinary words, used by the
    # engine's own messages too; a rubric leaks through its regexes, concept names and feedback,
    # which are all checked); and "-inf"/"+inf", spellings of ±∞ that the prompts teach.
    texts = {}
    for text, where in secrets.texts.items():
        if text.lower() in option_words or text in public_norm:
            continue
        if re.fullmatch(r"[A-Za-z0-9]+", text) or text in {"-inf", "+inf"}:
            continue
        texts[text] = where
    assert numbers and len(texts) >= 3  # the search has something to look for

    leaks = []
    for name, content in bundle_texts(directory).items():
        flat = _norm(content)
        for text, where in texts.items():
            if text in flat:
                leaks.append(f"{name}: {where}: {text[:80]!r}")
        engine = name.startswith("grader/")
        tokens = _numeric_tokens(content)  # whole numbers only: 0.6931 is not found in 10.69312
        for form, (_where, short) in numbers.items():
            if (name, form) in ENGINE_EXAMPLES or (engine and short):
                continue
            if form in tokens:
                sources = ", ".join(sorted(secrets.sources[form])[:3])
                leaks.append(f"{name}: {sources}: number {form}")
    return leaks


@pytest.mark.parametrize("slug", ASSIGNMENTS)
def test_no_secret_of_the_full_specs_or_the_reference_appears_in_the_bundle(bundles, slug):
    leaks = find_leaks(slug, bundles[slug])
    assert not leaks, "secrets found in the bundle:\n" + "\n".join(leaks[:40])


@pytest.mark.parametrize("leak, found", [
    ("- `q4d_var` (2 points): 0.28", "number 0.28"),                     # an expected value, short
    ("mean ≈ 1.697", "number 1.697"),                                    # an expected value, 4 s.f.
    ("the answer is −0.6931", "number 0.6931"),                          # with a Unicode minus
    ("checked at x0=HIDDEN", "hidden input"),                            # a hidden input
    ("Standardising, P_q(z ≥ 0) = P(Z ≥ 0 − 1) = Φ(1 − 0), by symmetry of the standard normal.",
     "explanation"),
    ("That is P_q(z < 0), the complement.", "mistake 0 message"),  # one sentence of it
    ("patterns: ['\\bkl\\b', 'kullback']", "rubric pattern"),
    ("seed: 20261124", "seed"),
    ("from mistake_q2a_log10", "mistake 1 ref"),
    ("return math.sqrt(ab) * x0, 1 - ab", "reference solution"),
])
def test_the_leak_search_finds_a_planted_leak(bundles, tmp_path, leak, found):
    """The detector itself: plant one secret in a copy of the bundle's questions.md."""
    ps = load("genmodels")
    if "HIDDEN" in leak:
        q4a = next(p for _, p in ps.parts() if p.name == "q4a")
        leak = leak.replace("HIDDEN", repr(hidden_inputs(q4a, q4a.checker, ps.assignment.seed)[0]["x0"]))
    copy = tmp_path / "bundle"
    shutil.copytree(bundles["genmodels"], copy, ignore=shutil.ignore_patterns("grader"))
    with (copy / "questions.md").open("a", encoding="utf-8") as f:
        f.write("\n" + leak + "\n")
    leaks = find_leaks("genmodels", copy)
    assert leaks and all(line.startswith("questions.md: ") for line in leaks), leaks
    assert any(found in line for line in leaks), leaks


# ---------------------------------------------------------------------------------------------
# The bundled checker
# ---------------------------------------------------------------------------------------------


def test_the_bundle_runs_its_own_copy_of_the_grader(bundles):
    out = bundles["genmodels"]
    result = subprocess.run([sys.executable, "-c", "import grader.handout.check as c; print(c.__file__)"],
                            cwd=out, capture_output=True, text=True, timeout=60)
    assert Path(result.stdout.strip()).resolve().is_relative_to(out.resolve())


@pytest.mark.parametrize("starter", ["answers.py", "answers.ipynb"])
def test_bundled_checker_reports_the_template_as_not_answered(bundles, starter):
    out = bundles["genmodels"]
    names = [p.name for _, p in load("genmodels").parts()]
    result = run_check(out, starter)
    assert result.returncode == 0, result.stderr
    lines = part_lines(result.stdout, names)
    assert all(line.startswith("not answered") for line in lines.values()), lines
    assert f"0 ready, {len(names)} not answered, 0 with a problem" in result.stdout
    assert f"ALL {len(names)} parts (100 points) are graded for correctness" in result.stdout
    assert "Correctness is NOT checked here" in result.stdout


@pytest.mark.parametrize("filename", ["perfect.py", "perfect.ipynb"])
def test_bundled_checker_reports_the_perfect_submission_ready(bundles, filename):
    out = bundles["genmodels"]
    names = [p.name for _, p in load("genmodels").parts()]
    shutil.copyfile(ROOT / "submissions" / "genmodels" / filename, out / filename)
    try:
        result = run_check(out, filename)
    finally:
        (out / filename).unlink()
    assert result.returncode == 0, result.stderr
    lines = part_lines(result.stdout, names)
    assert all(line.startswith("ready") for line in lines.values()), lines
    assert f"{len(names)} ready, 0 not answered, 0 with a problem" in result.stdout


def test_bundled_checker_exit_codes(bundles, tmp_path):
    out = bundles["probability"]
    assert run_check(out, "missing.py").returncode == 1
    for extra in ([], ["--course", str(out)]):  # from outside the bundle: FILE's folder, or --course
        result = subprocess.run([sys.executable, "-m", "grader.handout.check", str(out / "answers.py"),
                                 *extra], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "3 not answered" in result.stdout
    result = subprocess.run([sys.executable, "-m", "grader.handout.check", str(out / "answers.py"),
                             "--course", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 3 and "problems" in result.stderr


BROKEN = '''
import math
q2a = True                         # a bool where a number is expected
q2c = float("nan")
q2d = 1.5                          # outside the public sanity range [0, 1]
q2e = "-inf"
q2e_finite = 1                     # 1 is not read as True
q1a = "banana"                     # not an option
q1b = "VAE or GAN"                 # several options where one is expected
q1c = ["a", "zz"]
q1d = "far too short"
q3a = None
def q4a(x0, betas, t):
    return 1.0                     # one number where (mean, variance) is expected
def q4e(x_t, x0, betas, t):
    return (math.nan, 1.0)
def q2b(z):
    return 1 / 0
q4b = 3.0                          # a number where a function is expected
q4c_alpha1 = [0.9, 0.8]
q4c_alpha2 = 0.8
def q4c_alpha_bar2():
    while True:
        pass
q3p_mean = "x_t / 2"               # an expression, but the part has no expression variable
q4f = "data"
'''


def test_problems_are_reported_in_the_graders_own_words(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(BROKEN, encoding="utf-8")
    public = public_problem_set(load("genmodels"))
    report = check_submission(public, path, levels.choose("process"))
    parts = {p.name: p for p in report.parts}
    expect = {
        "q2a": "bool, not a number",
        "q2c": "NaN",
        "q2d": "outside [0, 1]",
        "q2e_finite": "not read as True",
        "q1a": "names none of the options",
        "q1b": "name exactly one",
        "q1c": '"zz"',
        "q1d": "at least",
        "q4a": "expected a tuple (mean, variance)",
        "q4e": "nan",
        "q2b": "ZeroDivisionError",
        "q4b": "not a function",
        "q4c_alpha1": "list of 2 values",
        "q4c_alpha_bar2": "did not finish in time",
        "q3p_mean": "not a function",
    }
    for name, words in expect.items():
        assert parts[name].status == "problem", (name, parts[name])
        assert words in parts[name].message, (name, parts[name].message)
    assert parts["q2e"].status == parts["q4c_alpha2"].status == parts["q4f"].status == "ready"
    assert parts["q3a"].status == "not answered"
    assert parts["q3b"].status == "not answered" and "not defined" in parts["q3b"].message
    text = render(report)
    assert "q2a" in text and "problem: could not read your answer" in text
    # function answers were called only at the document's public inputs
    assert "x0=2, betas=[0.1, 0.2], t=2" in parts["q4a"].message


def test_a_bool_where_a_number_is_expected_in_the_bundle(bundles):
    out = bundles["probability"]
    (out / "mine.py").write_text("p1a = True\np1b = 'x'\np1c = 'no'\n", encoding="utf-8")
    try:
        result = run_check(out, "mine.py")
    finally:
        (out / "mine.py").unlink()
    assert result.returncode == 0, result.stderr
    lines = part_lines(result.stdout, ["p1a", "p1b", "p1c"])
    assert lines["p1a"].startswith("problem:") and "bool" in lines["p1a"]
    assert lines["p1b"].startswith("ready") and lines["p1c"].startswith("ready")


def test_syntax_errors_are_named_and_the_rest_still_checked(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("p1a = 3.5\ndef broken(:\n    pass\np1c = False\n", encoding="utf-8")
    report = check_submission(public_problem_set(load("probability")), path, levels.choose("process"))
    assert report.file_problems and report.file_problems[0].type == "SyntaxError"
    statuses = {p.name: p.status for p in report.parts}
    assert statuses == {"p1a": "ready", "p1b": "not answered", "p1c": "ready"}
    assert "line 2" in render(report)


def test_function_inputs_of_the_public_spec_are_the_visible_ones_only():
    public = public_problem_set(load("genmodels"))
    full = {p.name: p.checker for _, p in load("genmodels").parts()}
    for _, part in public.parts():
        if isinstance(part.checker, PublicFunction):
            assert part.checker.visible_inputs == full[part.name].visible_inputs
            assert not hasattr(part.checker, "hidden_inputs")
            assert not hasattr(part.checker, "boundary_inputs")


def test_a_public_spec_refuses_an_unknown_grader_function_family(bundles, tmp_path):
    """The bundle's loader checks visible grader functions as the full loader does."""
    directory = tmp_path / "genmodels"
    shutil.copytree(bundles["genmodels"] / "problems" / "genmodels", directory)
    spec = directory / "4b.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "family: tanh" in text
    spec.write_text(text.replace("family: tanh", "family: tahn", 1), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_public_problem_set(directory)
    assert info.value.file == spec
    assert "grader_function.family" in str(info.value) and "known families: affine, tanh" in str(info.value)


# ---------------------------------------------------------------------------------------------
# `grade submit` inside a bundle: --out, --format and --isolation reach the public check
# ---------------------------------------------------------------------------------------------


def grade_in_bundle(bundle_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`grade submit ...` as a student runs it from the bundle's folder (the bundle's own grader)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run([sys.executable, "-m", "grader.cli", "submit", *args], cwd=bundle_dir,
                          capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.parametrize("suffix, marker", [(".json", '"schema": "grader.check/1"'),
                                            (".md", "# Public check: "), (".html", "<!DOCTYPE html>"),
                                            (".htm", "<!DOCTYPE html>"), (".txt", "public checks only")])
def test_bundle_submit_writes_the_check_report_to_out_in_its_suffix_s_format(bundles, tmp_path, suffix, marker):
    out = tmp_path / f"check{suffix}"
    result = grade_in_bundle(bundles["probability"], "answers.py", "--out", str(out), "--isolation", "process")
    assert result.returncode == 0, result.stderr
    assert f"Report written to {out}" in result.stdout and "0 ready, 3 not answered" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert marker in text and "p1a" in text and "not answered" in text
    assert "process" in text  # the level the check ran at


def test_bundle_submit_format_json_is_the_check_report(bundles):
    out = bundles["probability"]
    (out / "mine.py").write_text("p1a = True\np1b = 'x'\n", encoding="utf-8")
    try:
        result = grade_in_bundle(out, "mine.py", "--format", "json", "--isolation", "process")
    finally:
        (out / "mine.py").unlink()
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "grader.check/1" and data["correctness_checked"] is False
    assert data["title"] == load("probability").assignment.title and data["submission"] == "mine.py"
    assert data["isolation"] == "process"
    parts = {p["name"]: p for p in data["parts"]}
    assert set(parts) == {"p1a", "p1b", "p1c"}
    assert parts["p1a"]["status"] == "problem" and "bool" in parts["p1a"]["message"]
    assert parts["p1b"]["status"] == "ready" and parts["p1b"]["understood"]
    assert parts["p1c"]["status"] == "not answered"
    assert data["counts"] == {"ready": 1, "not_answered": 1, "problem": 1}


def test_bundle_submit_isolation_confines_the_check(bundles):
    """`--isolation` used to be ignored there (the check always ran at auto's level)."""
    result = grade_in_bundle(bundles["probability"], "answers.py", "--isolation", "process")
    assert result.returncode == 0, result.stderr
    assert "at the process isolation level" in result.stdout


def test_check_report_markdown_and_html_escape_what_the_student_controls():
    from grader.handout.check_report import CheckReport, PartCheck, render_check

    hostile = '<script>alert(1)</script> [x](http://evil) | **bold**'
    report = CheckReport("Set <b>1</b>", "a<b>.py", (
        PartCheck("1a", "p1a", "number", 2, "problem", f"could not read your answer: {hostile}", hostile),
        PartCheck("1b", "p1b", "symbolic", 1, "ready", "", "x**2"),
    ), isolation="strict")
    html = render_check(report, "html")
    assert html.startswith("<!DOCTYPE html>") and "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "strict" in html
    markdown = render_check(report, "markdown")
    assert "<script>" not in markdown and "[x](http://evil)" not in markdown
    assert "\\<script\\>" in markdown and "p1b" in markdown and "strict" in markdown
    data = json.loads(render_check(report, "json"))
    assert data["parts"][0]["understood"] == hostile and data["isolation"] == "strict"
    assert render_check(report, "text") == render(report)


def test_the_bundle_installs_the_grade_command_with_the_graders_dependencies(bundles):
    """`pip install -e .` in the bundle gives `grade` (so `grade submit answers.py` works there, as
    the project's README tells students); its dependencies are requirements.txt's."""
    import tomllib

    for folder in bundles.values():
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        assert project["project"]["scripts"] == {"grade": "grader.cli:main"}
        required = (folder / "requirements.txt").read_text(encoding="utf-8").split()
        assert project["project"]["dependencies"] == required
        assert "pip install -e ." in (folder / "README.md").read_text(encoding="utf-8")
