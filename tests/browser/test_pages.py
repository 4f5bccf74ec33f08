"""The student report and the class summary in a real browser (headless Chromium): the question is
there, its math is MathML, the students link to their reports and back, nothing overflows on a
phone or a laptop, and axe-core finds no serious or critical accessibility violation. Screenshots
go to build/browser/ (GRADER_BROWSER_ARTIFACTS)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cdp import ARTIFACTS, ROOT

from grader.report.render import render

WIDTHS = (390, 1280)
"""A phone and a laptop."""
REPORTS = ("perfect", "typical", "raises")
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def report_pages(example_reports, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    pages = {}
    for name in REPORTS:
        pages[name] = folder / f"{name}.html"
        pages[name].write_text(render(example_reports[name], "html"), encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Path:
    """The class summary of a small batch: three of the bundled examples."""
    inputs, out = tmp_path_factory.mktemp("class"), tmp_path_factory.mktemp("graded")
    for name in REPORTS:
        shutil.copy(ROOT / "submissions" / "genmodels" / f"{name}.py", inputs / f"{name}.py")
    done = subprocess.run([sys.executable, "-m", "grader", "batch", str(inputs), "--out", str(out),
                           "-a", "genmodels", "--course", str(ROOT), "--isolation", "process"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out / "summary.html"


def _overflow(browser) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_a_report_shows_the_question_its_math_and_fits(browser, report_pages, example_reports, name, width):
    browser.open(report_pages[name], width)
    browser.screenshot(ARTIFACTS / f"report-{name}-{width}.png")
    text = browser.evaluate("document.body.innerText")
    first_prompt = example_reports[name].questions[0].prompt.split("\n")[0]
    assert first_prompt[:60] in text, "the question itself is shown"
    assert browser.evaluate("document.querySelectorAll('math msub, math msup').length") > 10, "math is MathML"
    assert browser.evaluate("document.querySelectorAll('nav a[href^=\"#q-\"]').length") == \
        len(example_reports[name].questions), "a link to every question"
    assert _overflow(browser) <= 0, f"the page scrolls sideways at {width} px"


def test_a_formula_answer_is_rendered_as_math(browser, report_pages):
    """The perfect submission answers q2b with a sympy Piecewise: shown as a fraction and cases."""
    browser.open(report_pages["perfect"], 390)
    assert browser.evaluate("document.querySelectorAll('.answer math mfrac').length") >= 2
    assert browser.evaluate("document.querySelectorAll('.answer math mtable').length") >= 1
    height = browser.evaluate("document.querySelector('.answer math mfrac').getBoundingClientRect().height")
    # (Drawn full size it is about 48 px tall; in the compact style of inline math, about 33 px.)
    assert height > 40, "a fraction in an answer is drawn full size, as on paper"
    assert _overflow(browser) <= 0


@pytest.mark.parametrize("name", REPORTS)
def test_a_report_has_no_serious_accessibility_violation(browser, axe_source, report_pages, name):
    browser.open(report_pages[name], 1280)
    serious = [v for v in browser.axe(axe_source) if v["impact"] in SERIOUS]
    assert not serious, serious


@pytest.mark.parametrize("width", WIDTHS)
def test_the_class_summary_links_every_student_and_fits(browser, dashboard, width):
    browser.open(dashboard, width)
    browser.screenshot(ARTIFACTS / f"summary-{width}.png")
    shown = "[...document.querySelectorAll('#students table')].filter(t => t.offsetParent !== null)"
    links = browser.evaluate(f"{shown}.flatMap(t => [...t.querySelectorAll('a')].map(a => a.getAttribute('href')))")
    assert sorted(links) == sorted(f"students/{name}/report.html" for name in REPORTS), "one table is shown"
    for link in links:
        assert (dashboard.parent / link).is_file(), link
    assert _overflow(browser) <= 0, f"the page scrolls sideways at {width} px"


def test_a_sort_link_shows_that_order_alone(browser, dashboard):
    browser.open(dashboard, 1280)
    visible = "[...document.querySelectorAll('#students .order')].filter(o => o.offsetParent !== null).map(o => o.id)"
    assert browser.evaluate(visible) == ["students-lowest"]
    browser.evaluate("document.querySelector('a[href=\"#students-name\"]').click()")
    assert browser.evaluate(visible) == ["students-name"]
    names = browser.evaluate("[...document.querySelectorAll('#students-name tbody a')].map(a => a.textContent)")
    assert names == sorted(names, key=str.casefold)


def test_a_student_link_opens_the_report_which_links_back(browser, dashboard):
    browser.open(dashboard, 1280)
    report = dashboard.parent / browser.evaluate("document.querySelector('#students tbody a').getAttribute('href')")
    browser.open(report, 1280)
    back = browser.evaluate("document.querySelector('header a').getAttribute('href')")
    assert (report.parent / back).resolve() == dashboard.resolve()


def test_the_class_summary_has_no_serious_accessibility_violation(browser, axe_source, dashboard):
    browser.open(dashboard, 1280)
    serious = [v for v in browser.axe(axe_source) if v["impact"] in SERIOUS]
    assert not serious, serious


@pytest.fixture(scope="module")
def staff_pages(dashboard) -> dict[str, Path]:
    """The review page and the similarity page of the same small batch."""
    out, inputs = dashboard.parent, dashboard.parent / "similarity-input"
    inputs.mkdir()
    for name in REPORTS:
        shutil.copy(ROOT / "submissions" / "genmodels" / f"{name}.py", inputs / f"{name}.py")
    for command in (["review", "export", "--out", str(out)], ["similarity", str(inputs), "--out", str(out)]):
        done = subprocess.run([sys.executable, "-m", "grader", *command, "-a", "genmodels", "--course", str(ROOT)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    return {"review": out / "review.html", "similarity": out / "similarity.html"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["review", "similarity"])
def test_the_staff_pages_fit_and_have_no_serious_accessibility_violation(browser, axe_source, staff_pages,
                                                                         page, width):
    browser.open(staff_pages[page], width)
    browser.screenshot(ARTIFACTS / f"{page}-{width}.png")
    assert _overflow(browser) <= 0, f"the {page} page scrolls sideways at {width} px"
    if page == "review":
        assert browser.evaluate("document.querySelectorAll('article.group').length") >= 3
    else:
        assert browser.evaluate("document.querySelectorAll('mark').length") > 0
    serious = [v for v in browser.axe(axe_source) if v["impact"] in SERIOUS]
    assert not serious, serious
