"""Markdown report and the per-part block that Gradescope shows for each test."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import (
    EXPECTED_SECRETS,
    FREE_TEXT,
    FUNCTION,
    GRADER_ERROR,
    HIDDEN_INPUTS,
    HOSTILE,
    INCORRECT,
    INVALID,
    MISTAKE,
    RAISED,
    SKIP_REASON,
    clean_report,
    make_report,
)

from grader.report.render.markdown import (
    code,
    fence,
    part_markdown,
    prose,
    render_markdown,
)
from grader.report.results import CaseRow, Outcome, PartResult, QuestionResult


def _outside_code(markdown: str) -> str:
    """The Markdown with fenced blocks and code spans removed (CommonMark's pairing rule)."""
    markdown = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", markdown, flags=re.S | re.M)
    return re.sub(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", "", markdown, flags=re.S)


def _unescaped(markdown: str, char: str) -> list[str]:
    text = _outside_code(markdown).replace("\\\\", "")
    return re.findall(rf"(?<!\\){re.escape(char)}", text)


@pytest.fixture(scope="module")
def md() -> str:
    return render_markdown(make_report())


def test_header_totals_and_pending(md: str) -> None:
    assert md.startswith("# Generative models (`genmodels`)\n")
    assert "**Submission:** `alice.py`" in md
    assert "**Total:** 8.5 / 21 (40.5 %)" in md
    assert "**Pending review:** 1 free-text answer (worth 2 points) awaits review" in md


def test_sections_table(md: str) -> None:
    assert "| 2 | Latent variable model and ELBO | 4 / 15 |" in md
    assert "| 4 | Numericals — DDPM | 4.5 / 6 |" in md


def test_questions_and_parts(md: str) -> None:
    assert "### 2b · Entropy gap — 0 / 4 · incorrect" in md
    assert "#### `q2b_check`" in md
    assert "**0 / 1** · invalid format" in md
    assert f"- {MISTAKE}" in md
    assert "Your answer: `0.5`" in md


def test_part_markdown_is_one_block_for_gradescope() -> None:
    report = make_report()
    block = part_markdown(INCORRECT, report)
    assert block.startswith("**0 / 3** · incorrect\n")
    assert MISTAKE in block and "Entropy" not in block and "q2a" not in block
    assert "Expected" not in block
    shown = part_markdown(INCORRECT, make_report(show_expected=True))
    assert "**Expected:** `0.3068528194`" in shown


def test_free_text_pending_review() -> None:
    block = part_markdown(FREE_TEXT, make_report())
    assert block.startswith("**2 / 2** (provisional — pending review by course staff) · needs review")


def test_traceback_in_fenced_block() -> None:
    block = part_markdown(RAISED, make_report())
    assert ("```text\nTraceback (most recent call last):\n  line 20, in q2d: return helper(0.5)\n"
            "  line 14, in helper: return 1 / (x - x)\nZeroDivisionError: division by zero\n```") in block


def test_case_table_hides_hidden_inputs_and_expected() -> None:
    block = part_markdown(FUNCTION, make_report())
    assert "| ✓ | *hidden input #1* | `0.286691` |  |" in block
    assert "| · | `x=-inf` | `nan` | (boundary: not counted) |" in block, "a boundary input gets a neutral mark"
    assert "Expected" not in block
    for secret in (*HIDDEN_INPUTS, *EXPECTED_SECRETS):
        assert secret not in block


def test_case_table_with_everything_shown() -> None:
    block = part_markdown(FUNCTION, make_report(show_expected=True, show_hidden_inputs=True))
    assert "| ✓ | `x=0.8123` | `0.286691` | `0.28669146` | hidden |" in block
    assert "|  | Input | Got | Expected | Note |" in block


def test_expected_only_when_allowed(md: str) -> None:
    for secret in EXPECTED_SECRETS:
        assert secret not in md
    shown = render_markdown(make_report(show_expected=True))
    for secret in EXPECTED_SECRETS:
        assert secret in shown


def test_file_problems_box(md: str) -> None:
    assert "## Problems in your file" in md
    assert "**SyntaxError at line 31: invalid syntax**" in md
    assert "```text\nline 31: q3 = = 1\n```" in md
    assert f"- line 12 was skipped: {SKIP_REASON}" in md
    assert "The rest of the file was still graded" in md
    assert "Problems in your file" not in render_markdown(clean_report())


def test_grader_error_note() -> None:
    md = render_markdown(make_report(grader_error=GRADER_ERROR))
    assert "> **Grader error.** The grader itself failed, not your submission" in md


def test_student_html_is_inert(md: str) -> None:
    # The hostile answer appears only inside code spans, or with its markup characters escaped;
    # the only raw HTML is the report's own anchor per question.
    assert _unescaped(re.sub(r'(?m)^<a id="q-[\w-]+"></a>$', "", md), "<") == []
    assert "Your answer: `\"<script>alert('pwned')</script>\"`" in md
    assert "\\<script\\>" in md


@pytest.mark.parametrize("text", [
    "a`b", "``", "`x`", " padded ", "", "x | y", "line\nbreak", "<img src=x onerror=alert(1)>",
])
def test_code_span_shows_text_verbatim(text: str) -> None:
    span = code(text)
    fence_len = len(re.match(r"`+", span).group(0))
    assert span.endswith("`" * fence_len) and "\n" not in span
    inner = span[fence_len:-fence_len]
    assert "`" * fence_len not in inner  # the span cannot close early
    body = inner[1:-1] if inner.startswith(" ") and inner.endswith(" ") and inner.strip() else inner
    assert body == " ".join(text.splitlines()) or (text == "" and body.strip() == "")


@pytest.mark.parametrize("text", [
    "\\`<script>`", "[click](javascript:alert(1))", "![img](http://x/y.png)", "<b>**bold**</b>",
    "a & b", "# heading", "x | y",
])
def test_prose_leaves_no_active_markup(text: str) -> None:
    out = prose(text)
    for char in "<[]*!#|&":
        assert _unescaped(out, char) == [], (text, out)


def test_table_cells_escape_pipes() -> None:
    part = PartResult("9z", "q9z", "function", 1, 0, Outcome.INCORRECT,
                      cases=(CaseRow("x=1|2", "a|b", "c", False),))
    report = make_report(questions=(QuestionResult("9z", "Pipes", "9", (part,)),))
    row = [line for line in part_markdown(part, report).splitlines() if line.startswith("| ✗")][0]
    assert row == "| ✗ | `x=1\\|2` | `a\\|b` |  |"


def test_fence_outgrows_backticks_in_content() -> None:
    block = fence(["x = '```'"])
    assert block.startswith("````text\n") and block.endswith("\n````")


def test_invalid_part_says_what_was_expected() -> None:
    block = part_markdown(INVALID, make_report())
    assert "**0 / 1** · invalid format" in block
    assert "Could not read your answer: expected a number" in block
    assert HOSTILE not in _outside_code(block)


def test_deterministic_and_without_timing(md: str) -> None:
    assert render_markdown(make_report()) == md
    assert "1.234" not in md


def test_a_formula_answer_is_latex_math(md: str) -> None:
    assert r"Your answer: $- \log{\left(2 \right)}$ (read as `-0.693147 (read from sympy: −log(2))`)" in md


def test_jump_links_lead_to_an_anchor_per_question(md: str) -> None:
    report = make_report()
    links = re.findall(r"\[[^\]]+\]\(#(q-[\w-]+)\)", md)
    anchors = re.findall(r'<a id="(q-[\w-]+)"></a>', md)
    assert links == anchors == [f"q-{q.id}" for q in report.questions]


def test_an_anchor_is_markup_free_whatever_the_question_id() -> None:
    from grader.report.render.common import anchor
    assert anchor('3"><script>') == "q-3---script-"


def _rendered_tags(markdown: str) -> set[str]:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(markdown)
    return set(re.findall(r"<\s*/?\s*([a-zA-Z][\w-]*)", html))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="`<>a_\\[]()!*#|&x :=\"'/", max_size=40))
def test_prose_renders_as_plain_text_and_code_only(text: str) -> None:
    """Checked with a real CommonMark renderer: whatever a message holds (backtick runs of any
    length, HTML, links), prose() yields a paragraph of text and code spans, nothing else."""
    assert _rendered_tags(prose(text)) <= {"p", "code"}, (text, prose(text))


def test_prose_keeps_names_in_code_spans_verbatim() -> None:
    assert prose("`q3j_model` is not defined; *see* <notes>") == "`q3j_model` is not defined; \\*see\\* \\<notes\\>"
    assert prose("a `x|y` b", table=True) == "a `x\\|y` b"


def test_code_spans_pair_runs_of_equal_length_as_commonmark_does() -> None:
    from grader.report.render.markdown import code_spans
    text = "`a``b`<img>`"
    assert [text[s:e] for s, e in code_spans(text)] == ["`a``b`"]  # not "`<img>`"
