from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden report files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


EXAMPLES = ["perfect", "typical", "template", "syntax_error", "raises"]
"""The bundled genmodels submissions (submissions/genmodels/<name>.py)."""


@pytest.fixture(scope="session")
def example_reports():
    """Every bundled example graded once per test session at the process level (available
    everywhere, so the golden files are the same on every machine; tests/security/ runs the
    examples at every level)."""
    from grader.pipeline import grade_submission
    from grader.problemset.loader import load_problem_set
    from grader.sandbox import levels

    sandbox = levels.choose("process")
    ps = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    graded = {name: grade_submission(ps, ROOT / "submissions" / "genmodels" / f"{name}.py", sandbox=sandbox)
              for name in EXAMPLES}
    sample_set = load_problem_set(ROOT / "problems" / "probability", ROOT)
    graded["probability-sample"] = grade_submission(
        sample_set, ROOT / "submissions" / "probability" / "sample.py", sandbox=sandbox)
    return graded
