"""Self-contained HTML report: escaping of everything a student controls, no external resources."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from report_fixtures import (
    EXPECTED_SECRETS,
    FILE_SYNTAX,
    GRADER_ERROR,
    HIDDEN_INPUTS,
    SKIP_REASON,
    clean_report,
    make_report,
)

from grader.report.render.html import render_html, segments
from grader.sandbox.records import Frame, StudentProblem


class _Tags(HTMLParser):
    """Collects start tags and their attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _visible_text(html: str) -> str:
    return " ".join(" ".join(_parse(html).text).split())


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(make_report())


def test_is_a_complete_page_with_header_and_totals(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    text = _visible_text(html)
    assert "Submission alice.py" in text
    assert "Total 8.5 / 21 (40.5 %)" in text
    assert ("Pending review 1 free-text answer (worth 2 points) awaits review by course staff: "
            "its 2 points so far are provisional") in text


def test_student_script_is_escaped(html: str) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "<script>alert('pwned')</script>" in _visible_text(html)  # shown to the reader as text


def test_every_student_controlled_field_is_escaped() -> None:
    evil = '<img src=x onerror="alert(1)">'
    frames = (Frame(3, "<lambda>", f"f = lambda: '{evil}'"),)
    report = make_report(
        submission=f"{evil}.py",
        file_problems=(StudentProblem("ValueError", evil, 3, evil, frames),),
        skipped_statements=((5, evil, evil),),
    )
    html = render_html(report)
    assert "<img" not in html
    assert not any(tag == "img" or "onerror" in attrs for tag, attrs in _parse(html).tags)
    assert "&lt;lambda&gt;" in html


def test_no_scripts_or_external_resources(html: str) -> None:
    tags = _parse(html).tags
    assert {tag for tag, _ in tags}.isdisjoint({"script", "link", "img", "iframe", "object"})
    assert not any("src" in attrs for _, attrs in tags)
    assert all((attrs["href"] or "").startswith("#") for _, attrs in tags if "href" in attrs), \
        "only links within the page (the questions at a glance)"
    without_mathml_namespace = html.replace('xmlns="http://www.w3.org/1998/Math/MathML"', "")
    assert "http://" not in without_mathml_namespace and "https://" not in html and "@import" not in html
    assert any(tag == "style" for tag, _ in tags)  # the CSS is inline


def test_parts_outcomes_and_feedback(html: str) -> None:
    text = _visible_text(html)
    assert "2b · Entropy gap 0 / 4 incorrect" in text
    assert "q2b_check · 0 / 1 invalid format" in text
    assert "q4a · 2.5 / 4 partially correct" in text
    assert "Your answer: 0.5" in text
    assert '<div class="part o-raised_exception">' in html
    assert "<code>q2c</code> is not defined in your file." in html  # backticks become <code>


def test_free_text_pending_review(html: str) -> None:
    assert "q4b · 2 / 2 (provisional — pending review by course staff) needs review" in _visible_text(html)


def test_traceback(html: str) -> None:
    assert ("<pre>Traceback (most recent call last):\n  line 20, in q2d: return helper(0.5)\n"
            "  line 14, in helper: return 1 / (x - x)\nZeroDivisionError: division by zero</pre>") in html


def test_case_table_visibility(html: str) -> None:
    text = _visible_text(html)
    assert "hidden input #1" in text and "hidden input #2" in text
    assert "nan (boundary: not counted)" in text
    for secret in (*HIDDEN_INPUTS, *EXPECTED_SECRETS):
        assert secret not in html
    assert "<th>Expected</th>" not in html
    shown = render_html(make_report(show_expected=True, show_hidden_inputs=True))
    assert "<th>Expected</th>" in shown
    for secret in (*HIDDEN_INPUTS, *EXPECTED_SECRETS):
        assert secret in shown
    assert "hidden input #" not in shown


def test_file_problems_box(html: str) -> None:
    text = _visible_text(html)
    assert "Problems in your file" in text
    assert f"SyntaxError at line {FILE_SYNTAX.line}: invalid syntax" in text
    assert f"line 12 was skipped: {SKIP_REASON}" in text
    assert "The rest of the file was still graded" in text
    clean = render_html(clean_report())
    assert "Problems in your file" not in clean and "Pending review" not in clean


def test_grader_error_note(html: str) -> None:
    assert "grader itself failed" not in html
    failed = _visible_text(render_html(make_report(grader_error=GRADER_ERROR)))
    assert "Grader error. The grader itself failed, not your submission: " + GRADER_ERROR in failed


def test_segments_split_backtick_names() -> None:
    assert segments("`q2a` is `x`.") == [("q2a", True), (" is ", False), ("x", True), (".", False)]
    assert segments("no code") == [("no code", False)]


def test_deterministic_and_without_timing(html: str) -> None:
    assert render_html(make_report()) == html
    assert "1.234" not in html
    assert not re.search(r"\x1b\[", html)


def test_a_formula_answer_is_mathml_with_the_reading_beside_it(html: str) -> None:
    answer = html[html.index('<div class="answer">'):]
    answer = answer[:answer.index("</div>")]
    assert "<math" in answer and "<mi>log</mi>" in answer
    assert "read as <code>-0.693147 (read from sympy: −log(2))</code>" in answer


def test_a_formula_latex2mathml_cannot_convert_is_shown_as_text() -> None:
    report = make_report()
    broken = replace(report.questions[0].parts[0], formula=r"\frac{")
    page = render_html(replace(report, questions=(replace(report.questions[0], parts=(broken,)),)))
    assert '<div class="answer">' not in page
    assert "Your answer: <code>-0.693147 (read from sympy: −log(2))</code>" in page
