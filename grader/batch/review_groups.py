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

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from grader.batch.answer_groups import Answer, AnswerGroup, group_answers
from grader.batch.review import (
    PendingAnswer,
    by_part,
    csv_file_atomically,
    excel_sized,
    number_text,
    safe_cell,
)
from grader.report.files import atomic_text_file

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
    return [group for part, members in by_part(rows) for group in group_part(part, members)]


def group_part(part: str, members: Sequence[PendingAnswer]) -> list[PendingGroup]:
    """One part's pending answers grouped, largest group first."""
    by_student = {m.student_id: m for m in members}
    found: list[AnswerGroup] = group_answers([Answer(m.student_id, m.answer, m.suggested) for m in members])
    return [PendingGroup(f"{part}-{rank}", tuple(by_student[s] for s in group.students))
            for rank, group in enumerate(found, 1)]


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


MEMBERS_SHOWN = 200
"""Members listed under a group on the review page (all are in the member sheet): a MOOC's largest
group could otherwise make a page no browser opens."""


def export_groups(parts: Iterable[tuple[str, Sequence[PendingAnswer]]], sheet: Path, members_sheet: Path,
                  page: Path, title: str) -> tuple[int, int]:
    """Group each part's answers (one part in memory at a time) and write the group sheet, the member
    sheet and the review page as it goes, each replaced atomically. Returns (answers, groups)."""
    macros: Any = _environment().get_template("review.html.j2").module
    toc: list[tuple[str, int]] = []
    answers = groups = 0
    # The page's head counts what its sections hold: they go to a scratch file, copied in after it.
    with csv_file_atomically(sheet) as group_rows, csv_file_atomically(members_sheet) as member_rows, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as sections:
        group_rows.writerow(GROUP_COLUMNS)
        member_rows.writerow(MEMBER_COLUMNS)
        for part, members in parts:
            found = group_part(part, members)
            for group in found:
                group_rows.writerow(_group_row(group))
                member_rows.writerows(_member_row(group, m) for m in group.members)
            if found:
                sections.write(str(macros.section(part, found, len(members), members_sheet.name, MEMBERS_SHOWN,
                                                  number_text)))
            toc.append((part, len(found)))
            answers, groups = answers + len(members), groups + len(found)
        sections.seek(0)
        with atomic_text_file(page) as f:
            f.write(str(macros.head(title, toc, answers, groups, sheet.name, members_sheet.name)))
            shutil.copyfileobj(sections, f)
            f.write(str(macros.foot()))
    return answers, groups


def _environment() -> Environment:
    return Environment(loader=PackageLoader("grader.batch", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)
