"""`grade similarity`: read a class's submissions (and the free-text answers its gradebook keeps),
find the most alike pairs (`similarity.similar_pairs`) and write them as a page and a CSV."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, PackageLoader

from grader.batch.inputs import read_batch_input
from grader.batch.model import BatchSubmission
from grader.batch.review import write_csv_atomically
from grader.batch.similarity import SimilarPair, Submission, similar_pairs
from grader.batch.store import Gradebook
from grader.notebook.reading import looks_like_notebook, parse_notebook
from grader.report.files import write_atomically
from grader.sandbox.submission_file import SubmissionFileError, decode_source

COLUMNS = ("rank", "first", "second", "score", "code_similarity", "prose_near_copies", "parts_copied")


def code_of(path: Path) -> str:
    """The Python a student wrote: the file, or a notebook's code cells in order."""
    data = path.read_bytes()
    if looks_like_notebook(path, data):
        notebook = parse_notebook(path, data)
        return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return decode_source(path, data)


def class_submissions(input_path: Path, gradebook: Path) -> tuple[list[Submission], list[str]]:
    """Every readable submission of INPUT with its free-text answers (if a batch graded it into
    `gradebook`), and a line per entry that could not be read."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="grade-similarity-") as workdir:
        found = read_batch_input(input_path, Path(workdir))
        problems += [f"{p.entry}: {p.message}" for p in found.problems]
        answers = _answers(gradebook, found.submissions)
        out = []
        for submission in found.submissions:
            try:
                out.append(Submission(submission.key, code_of(submission.path), answers.get(submission.key, {})))
            except (SubmissionFileError, OSError) as exc:
                problems.append(f"{submission.source}: {exc}")
    return out, problems


def _answers(gradebook: Path, submissions: Sequence[BatchSubmission]) -> dict[str, dict[str, str]]:
    if not gradebook.exists():
        return {}
    with Gradebook(gradebook) as book:
        return {s.key: book.answers(s.key) for s in submissions}


def write_similarity(pairs: Sequence[SimilarPair], out: Path, title: str, compared: int) -> tuple[Path, Path]:
    page, sheet = out / "similarity.html", out / "similarity.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for rank, pair in enumerate(pairs, 1):
        writer.writerow([rank, pair.first, pair.second, f"{pair.score:.2f}", f"{pair.code:.2f}",
                         f"{pair.prose:.2f}", "; ".join(m.part for m in pair.prose_matches)])
    write_csv_atomically(sheet, buffer.getvalue())
    env = Environment(loader=PackageLoader("grader.batch", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    write_atomically(page, env.get_template("similarity.html.j2").render(title=title, pairs=pairs, compared=compared))
    return page, sheet


__all__ = ["class_submissions", "code_of", "similar_pairs", "write_similarity"]
