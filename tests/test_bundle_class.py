"""grader.cli.bundle_class and `grade bundle student --student`: handouts with each student's numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from click.testing import CliRunner

from grader.cli import cli
from grader.problemset.loader import load_problem_set
from grader.problemset.placeholders import fill
from grader.problemset.variants import parameters_for

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = load_problem_set(ROOT / "problems" / "genmodels", ROOT).assignment


def test_a_bundle_per_roster_student_each_with_their_own_numbers(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\n1001,Ann Lee,Ann@Example.edu\n1002,Bob Roy,\n1003,Cy Ng,cy@example.edu\n")
    out = tmp_path / "bundles"
    result = CliRunner().invoke(cli, ["bundle", "class", "--roster", str(roster), "--out", str(out),
                                      "--course", str(ROOT), "-a", "genmodels"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "bundles.csv").open()))
    assert [r["folder"] for r in rows] == ["1001", "1002", "1003"]
    assert len({r["variant"] for r in rows}) == 3
    for row, identity in zip(rows, ["ann@example.edu", "1002", "cy@example.edu"]):
        values = parameters_for(ASSIGNMENT, identity)  # drawn from the email where there is one
        questions = (out / row["folder"] / "questions.md").read_text()
        assert fill("Let β_1 = $betas[0], β_2 = $betas[1] and x_0 = $x0.", values) in questions
        public = yaml.safe_load((out / row["folder"] / "problems" / "genmodels" / "assignment.yaml").read_text())
        assert public["parameters"]["betas"] == values["betas"] and "variation" not in public
        assert not (out / row["folder"] / "solutions").exists()


def test_ids_that_would_share_a_folder_are_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\na/b,Ann\na_b,Bob\n")
    result = CliRunner().invoke(cli, ["bundle", "class", "--roster", str(roster), "--out", str(tmp_path / "o"),
                                      "--course", str(ROOT), "-a", "genmodels"])
    assert result.exit_code == 1 and "share the folder 'a_b'" in result.output


def test_bundle_student_with_an_id_has_that_students_numbers(tmp_path):
    out = tmp_path / "one"
    result = CliRunner().invoke(cli, ["bundle", "student", "--out", str(out), "--course", str(ROOT),
                                      "-a", "genmodels", "--student", "Ann@Example.edu"])
    assert result.exit_code == 0, result.output
    values = parameters_for(ASSIGNMENT, "ann@example.edu")
    assert fill("With β_1 = $betas[0], β_2 = $betas[1] and x_0 = $x0", values) in (out / "questions.md").read_text()
