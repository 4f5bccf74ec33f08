"""The review sheet by answer groups: one row per group of alike answers, one decision per group.

`grade review export` writes three files side by side:
- `review.csv`: one row per group — its members in `students`, its representative answer, the
  rubric points that answer matched and the spread of the members' provisional scores. Points and
  comment given on the row apply to every student listed; deleting an id from `students` takes
  that student out of the group (the answer stays pending and comes back in the next export).
- `review-members.csv`: one row per student, with the group it was put in, for a TA who wants to
  read every answer; points given there override that student's group.
- `review.html`: the same groups as a page, every member's answer readable.
`grade review import` reads either sheet, or both (see `review.import_reviews`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader

from grader.batch.answer_groups import Answer, AnswerGroup, group_answers
from grader.batch.review import (
    PendingAnswer,
    excel_sized,
    number_text,
    safe_cell,
    write_csv_atomically,
)
from grader.report.files import write_atomically

GROUP_COLUMNS = ("group", "question", "part", "size", "students", "possible", "suggested_points",
                 "rubric_hits", "flag", "rubric", "answer", "points", "comment")
MEMBER_COLUMNS = ("student_id", "student_name", "group", "question", "part", "possible", "suggested_points",
                  "rubric_hits", "flag", "answer", "points", "comment")
STUDENT_SEPARATOR = "; "


@dataclass(frozen=True)
class PendingGroup:
    id: str
    """E.g. "q3a-2": the part and the group's rank by size (a label; import reads `students`)."""
    members: tuple[PendingAnswer, ...]
    """The representative first."""

    @property
    def representative(self) -> PendingAnswer:
        return self.members[0]

    @property
    def suggested(self) -> str:
        low, high = min(m.suggested for m in self.members), max(m.suggested for m in self.members)
        return number_text(low) if low == high else f"{number_text(low)}–{number_text(high)}"


def group_pending(rows: Sequence[PendingAnswer]) -> list[PendingGroup]:
    """The pending answers grouped part by part (parts in the order of `rows`), largest group first."""
    by_part: dict[str, list[PendingAnswer]] = {}
    for row in rows:
        by_part.setdefault(row.part, []).append(row)
    groups: list[PendingGroup] = []
    for part, members in by_part.items():
        by_student = {m.student_id: m for m in members}
        found: list[AnswerGroup] = group_answers([Answer(m.student_id, m.answer, m.suggested) for m in members])
        groups += [PendingGroup(f"{part}-{rank}", tuple(by_student[s] for s in group.students))
                   for rank, group in enumerate(found, 1)]
    return groups


def _group_row(group: PendingGroup) -> list[str]:
    first = group.representative
    return [group.id, first.question, first.part, str(len(group.members)),
            safe_cell(STUDENT_SEPARATOR.join(m.student_id for m in group.members)),
            number_text(first.possible), group.suggested, "; ".join(first.hits), first.flag, first.rubric,
            safe_cell(excel_sized(first.answer)), "", ""]


def _member_row(group: PendingGroup, member: PendingAnswer) -> list[str]:
    return [safe_cell(member.student_id), safe_cell(member.student_name), group.id, member.question,
            member.part, number_text(member.possible), number_text(member.suggested),
            "; ".join(member.hits), member.flag, safe_cell(excel_sized(member.answer)), "", ""]


def _csv(header: Sequence[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def export_groups(groups: Sequence[PendingGroup], sheet: Path, members_sheet: Path, page: Path,
                  title: str) -> None:
    """Write the group sheet, the member sheet and the review page (each replaced atomically)."""
    write_csv_atomically(sheet, _csv(GROUP_COLUMNS, [_group_row(g) for g in groups]))
    write_csv_atomically(members_sheet, _csv(MEMBER_COLUMNS, [_member_row(g, m) for g in groups
                                                              for m in g.members]))
    write_atomically(page, review_page(groups, title, sheet.name, members_sheet.name))


def review_page(groups: Sequence[PendingGroup], title: str, sheet_name: str, members_name: str) -> str:
    env = Environment(loader=PackageLoader("grader.batch", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    by_part: dict[str, list[PendingGroup]] = {}
    for group in groups:
        by_part.setdefault(group.representative.part, []).append(group)
    counts = {part: sum(len(g.members) for g in part_groups) for part, part_groups in by_part.items()}
    return env.get_template("review.html.j2").render(
        title=title, by_part=by_part, counts=counts, answers=sum(counts.values()), groups=len(groups),
        sheet_name=sheet_name,
        members_name=members_name, number=number_text)
