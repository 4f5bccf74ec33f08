"""The student bundle's local check report as text: every line fits the terminal report's width."""

from __future__ import annotations

from grader.handout.check_report import WIDTH, CheckReport, PartCheck, render
from grader.sandbox.records import StudentProblem

LONG = ("your answer is a list of 3 values where one number is expected; give one number, e.g. "
        "q2a = -math.log(2), or a formula string such as \"-ln 2\" ") * 3


def test_every_line_of_the_text_report_fits_in_100_columns():
    report = CheckReport(
        title="Generative models: VAEs, ELBO, GANs, flows and DDPM", submission="answers.py",
        parts=(PartCheck("2a", "q2a", "number", 4, "problem", LONG, understood="[1, 2, 3]"),
               PartCheck("2b", "q2b", "function", 6, "ready", understood="a function q2b(z)"),
               PartCheck("3a", "q3a", "free_text", 2, "not answered", "no answer given")),
        file_problems=(StudentProblem("ModuleNotFoundError", "No module named 'torch' " * 5, 5, "", ()),),
        grader_error="the reference could not be loaded " * 5)
    text = render(report)
    assert all(len(line) <= WIDTH for line in text.splitlines()), max(text.splitlines(), key=len)
    assert "problem: your answer is a list of 3 values" in text
    assert " ".join(text.split()).count("give one number") == 3, "nothing is cut, only wrapped"
