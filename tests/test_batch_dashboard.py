"""summary.html: self-contained (no scripts, no network), inline SVG histogram, escaped student text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_batch_stats import C, W, X, make_problem_set, make_result

from grader.batch.dashboard import histogram_chart, render_summary
from grader.batch.model import InputProblem, StudentInfo
from grader.batch.stats import histogram
from grader.report.results import Outcome

HOSTILE = "<script>alert('pwned')</script>"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip = tag in {"style", "title"}

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _text(html: str) -> str:
    return " ".join(" ".join(_parse(html).text).split())


@pytest.fixture(scope="module")
def html() -> str:
    results = [
        make_result("s1", {"p1": C, "p2": C, "p3": C, "p4": C}),
        make_result("s2", {"p1": W, "p2": C, "p3": X, "p4": Outcome.NEEDS_REVIEW},
                    answers={"p1": HOSTILE, "p3": "'six'"}, provisional=("p4",)),
        make_result("s3", {"p1": W, "p2": Outcome.TIMED_OUT, "p3": X, "p4": C},
                    answers={"p1": HOSTILE}, mistakes={"p1": "Read the question <again>."}),
        make_result("s4", {"p1": W, "p2": Outcome.RAISED, "p3": C},
                    answers={"p1": "0.5"}),
        make_result("s5", {"p1": Outcome.GRADER_ERROR}, grader_error="sandbox died"),
    ]
    missing = [StudentInfo("s9", "Late, <b>Larry</b>", "larry@uni.edu")]
    problems = [InputProblem("weird.py", "not UTF-8 text <binary?>; ask the student to resubmit")]
    failures = ["s7: timed out after 60 s <killed>"]
    return render_summary(results, make_problem_set(), missing, problems, failures)


def test_is_a_complete_self_contained_page(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    tags = _parse(html).tags
    names = {tag for tag, _ in tags}
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    for _, attrs in tags:
        assert "src" not in attrs, f"external resource: {attrs}"
        link = attrs.get("href") or ""
        assert "href" not in attrs or link.startswith("#") or re.fullmatch(r"students/[\w.-]+/report\.html", link), \
            f"a link outside the page and its students' reports: {attrs}"
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "url(" not in html and "@import" not in html


def _order(html: str, key: str) -> list[str]:
    """The report links of one sorted table of students, in its order."""
    block = html[html.index(f'id="students-{key}"'):]
    block = block[:block.index("</table>")]
    return re.findall(r'href="(students/[^"]+/report\.html)"', block)


def test_lists_every_student_with_a_link_to_the_report_in_every_order(html: str) -> None:
    everyone = sorted(f"students/s{i}/report.html" for i in range(1, 6))
    lowest = _order(html, "lowest")
    assert sorted(lowest) == everyone and lowest[-1] == "students/s1/report.html", "full marks come last"
    assert _order(html, "name") == everyone
    assert _order(html, "pending")[0] == "students/s2/report.html", "s2 has the one pending review"
    assert sorted(_order(html, "failed")) == everyone
    assert all(f'href="#students-{key}"' in html for key in ("lowest", "name", "pending", "failed"))
    row_s2 = html[html.index("students/s2/report.html"):].split("</tr>")[0]
    assert '<span class="warn">1</span>' in row_s2, "s2 has one review pending"


def test_histogram_is_inline_svg_with_one_bar_per_bin(html: str) -> None:
    tags = _parse(html).tags
    assert any(tag == "svg" for tag, _ in tags)
    bars = [attrs for tag, attrs in tags if tag == "rect" and attrs.get("class") == "bar"]
    assert len(bars) == 10
    heights = [float(b["height"]) for b in bars]
    # Totals 6, 1, 2 and 1 (the grader-error submission is left out), in bins of 0.6 points.
    assert [i for i, h in enumerate(heights) if h > 0] == [1, 3, 9]
    assert heights[1] == max(heights)


def test_histogram_chart_geometry() -> None:
    chart = histogram_chart(histogram([0, 0, 0, 6], 6, bins=3))
    heights = [b.height for b in chart.bars]
    # Coordinates are rounded to 0.01 user units.
    assert heights[0] == pytest.approx(chart.plot_height, abs=0.01)  # the tallest reaches the top tick
    assert heights[1] == 0 and heights[2] == pytest.approx(chart.plot_height / 3, abs=0.01)
    assert all(b.y + b.height == pytest.approx(chart.baseline, abs=0.01) for b in chart.bars)
    assert [b.label for b in chart.bars] == ["0–2", "2–4", "4–6"]
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3]


def test_student_text_is_escaped(html: str) -> None:
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "<b>Larry</b>" not in html and "&lt;b&gt;Larry&lt;/b&gt;" in html
    assert "<again>" not in html and "<binary?>" not in html and "<killed>" not in html


def test_shows_totals_questions_and_item_analysis(html: str) -> None:
    text = _text(html)
    assert "Submissions graded 5 (5 students)" in text
    assert "Points possible 6" in text
    assert "Mean total 2.5 (41.7 %)" in text
    for heading in ("Questions", "Difficulty", "Discrimination"):
        assert heading in text
    assert "1a Fair die 2" in text


def test_lists_common_wrong_answers_with_counts(html: str) -> None:
    text = _text(html)
    assert "1a · p1 (3 without full marks)" in text
    hostile = text.index(HOSTILE)  # the parsed text is unescaped again
    assert text[hostile:].startswith(HOSTILE + " 2 Read the question <again>.")
    assert text.index("0.5 1") > hostile


def test_flags_parts_with_many_invalid_answers(html: str) -> None:
    text = _text(html)
    assert "question or checker may be unclear" in text.lower()
    flagged = re.findall(r'<tr class="flagged"><td><code>([^<]*)</code></td><td><code>([^<]*)</code>', html)
    assert flagged == [("1b", "p3")]


def test_shows_pending_missing_problems_and_failures(html: str) -> None:
    text = _text(html)
    assert "1 free-text answer is still provisional" in text
    assert "s9 Late, <b>Larry</b> larry@uni.edu" in text
    assert "weird.py not UTF-8 text <binary?>; ask the student to resubmit" in text
    assert "s7: timed out after 60 s <killed>" in text
    assert "Parts whose code raised an exception 1" in text
    assert "Parts that timed out 1" in text
    assert "Submissions the grader itself failed on 1" in text
    assert "s5" in text


def test_renders_an_empty_class() -> None:
    html = render_summary([], make_problem_set(), [], [], [])
    text = _text(html)
    assert "No graded submissions." in text and "No wrong answers." in text
    assert "<script" not in html


@pytest.mark.parametrize("value, shown", [(30.54, "30.5"), (36.0212, "36"), (None, "—"), (-0.04, "0")])
def test_class_statistics_are_rounded_to_one_decimal(value, shown) -> None:
    from grader.batch.dashboard import amount

    assert amount(value) == shown


def test_a_small_class_is_told_its_item_statistics_are_rough(html: str) -> None:
    assert "With 4 graded submissions, these figures are rough" in _text(html)


def test_a_class_of_thirty_gets_no_such_note() -> None:
    from grader.batch.dashboard import SMALL_CLASS

    results = [make_result(f"s{i}", {"p1": C if i % 2 else W, "p2": C}) for i in range(SMALL_CLASS)]
    assert "these figures are rough" not in render_summary(results, make_problem_set(), [], [], [])


def test_per_section_means_when_the_set_has_sections() -> None:
    from grader.batch.dashboard import section_rows

    layout = {"1a": {"p1": 2.0}, "2a": {"p2": 4.0}}
    results = [make_result("s1", {"p1": C, "p2": C}, layout=layout), make_result("s2", {"p1": C}, layout=layout),
               make_result("s3", {"p1": C, "p2": C}, layout=layout, grader_error="sandbox died")]
    rows = section_rows(results)
    assert [(r.section, r.possible, r.mean) for r in rows] == [("1", 2.0, 2.0), ("2", 4.0, 2.0)], \
        "means over the submissions the grader did not fail on"
    page = render_summary(results, make_problem_set(), [], [], [])
    assert '<section id="sections">' in page and 'href="#sections"' in page


def test_no_section_table_for_a_set_of_one_section(html: str) -> None:
    assert '<section id="sections">' not in html and 'href="#sections"' not in html
