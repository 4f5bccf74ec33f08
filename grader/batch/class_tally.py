"""Class statistics gathered one submission at a time, in memory that does not grow with the answers.

`ClassTally.add` takes each graded submission once, in any order, and keeps only:
- a few numbers per submission (its total and its points per question, 8 bytes each in arrays:
  0.1 MB per 1,000 submissions of a ten-question set), so that the median, the histogram and the
  item–rest correlations are exact;
- counters per part (wrong, invalid, received, pending, failures);
- per part, the counts of at most MAX_DISTINCT_WRONG distinct wrong answers: the commonest, which
  the dashboard ranks, are met early in any large class; an answer first met after that many
  others is still counted in the part's number of wrong answers but not ranked (`truncated` says
  so).
`stats()` then gives the same ClassStats as the whole class held in memory (see stats.py for the
definitions and units).
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections import Counter
from collections.abc import Iterable

from grader.batch.exports import part_points
from grader.batch.model import StudentResult
from grader.batch.stats import (
    HISTOGRAM_BINS,
    NO_VALUE,
    TOP_WRONG_ANSWERS,
    WRONG,
    ClassStats,
    FailureCounts,
    InvalidShare,
    PartWrongAnswers,
    PendingPart,
    QuestionStats,
    WrongAnswer,
    flag_invalid,
    histogram,
    item_rest_correlation,
    summary,
)
from grader.problemset.loader import ProblemSet
from grader.report.results import Outcome, PartResult

MAX_DISTINCT_WRONG = 5000
NO_ANSWER_TEXT = "(no value to show)"

PartKey = tuple[str, str]


def shown_wrong_answer(part: PartResult) -> str:
    """How a wrong answer is listed: the text the grader read, or what a function returned."""
    shown = [c for c in part.cases if not c.hidden and not c.boundary][:3]
    if part.understood is not None:
        return part.understood.strip()
    if shown:  # a function: what it returned at the problem set's own inputs
        return "; ".join(f"{c.inputs} → {c.got}" for c in shown)
    if part.mistake:  # a function without visible inputs: the mistake names its results
        return f"a function with the results of: {part.mistake.split('. ')[0].rstrip('.')}"
    return NO_ANSWER_TEXT


class _WrongAnswers:
    """One part's wrong answers: how many, and the counts of the first MAX_DISTINCT_WRONG texts."""

    def __init__(self) -> None:
        self.wrong = 0
        self.counts: Counter[str] = Counter()
        self.mistakes: dict[str, str] = {}
        self.truncated = False

    def add(self, part: PartResult) -> None:
        self.wrong += 1
        answer = shown_wrong_answer(part)
        if answer not in self.counts and len(self.counts) >= MAX_DISTINCT_WRONG:
            self.truncated = True
            return
        self.counts[answer] += 1
        if part.mistake and answer not in self.mistakes:
            self.mistakes[answer] = part.mistake

    def top(self, key: PartKey, top: int) -> PartWrongAnswers:
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:top]
        return PartWrongAnswers(key[0], key[1], self.wrong,
                                tuple(WrongAnswer(a, n, self.mistakes.get(a)) for a, n in ranked))


class ClassTally:
    def __init__(self, problem_set: ProblemSet):
        self.problem_set = problem_set
        self.questions = [q.id for q in problem_set.questions]
        self.part_keys: list[PartKey] = [(q.id, p.name) for q in problem_set.questions for p in q.parts]
        self._known = set(self.part_keys)
        self.submissions = 0
        self.student_ids: set[str] = set()
        self.totals = array("d")
        """Final totals (after the late penalty) of the scored submissions."""
        self.points = [array("d") for _ in self.questions]
        """Per question, the points (with overrides) of each scored submission."""
        self.wrong: dict[PartKey, _WrongAnswers] = {}
        self.received: Counter[PartKey] = Counter()
        self.invalid: Counter[PartKey] = Counter()
        self.pending: Counter[PartKey] = Counter()
        self.outcomes: Counter[Outcome] = Counter()
        self.grader_errors: list[str] = []

    def add(self, result: StudentResult) -> None:
        self.submissions += 1
        self.student_ids.update(s.id for s in result.submission.students)
        report = result.report
        if report.grader_error:
            self.grader_errors.append(result.submission.key)
        else:
            self.totals.append(result.total)
            by_question: dict[str, float] = {}
            for q in report.questions:
                by_question[q.id] = by_question.get(q.id, 0.0) + sum(
                    part_points(result, p.name, p.earned) for p in q.parts)
            for column, qid in zip(self.points, self.questions):
                column.append(by_question.get(qid, 0.0))
        for q in report.questions:
            for p in q.parts:
                key = (q.id, p.name)
                if key not in self._known:
                    self._known.add(key)
                    self.part_keys.append(key)
                self.outcomes[p.outcome] += 1
                if p.outcome in WRONG:
                    self.wrong.setdefault(key, _WrongAnswers()).add(p)
                if p.outcome not in NO_VALUE:
                    self.received[key] += 1
                    self.invalid[key] += p.outcome is Outcome.INVALID
                if p.provisional and p.name not in result.overrides:
                    self.pending[key] += 1

    def add_all(self, results: Iterable[StudentResult]) -> ClassTally:
        for result in results:
            self.add(result)
        return self

    # -- the statistics --------------------------------------------------------------------------

    def question_stats(self) -> list[QuestionStats]:
        count = len(self.totals)
        totals = array("d", (math.fsum(column[i] for column in self.points) for i in range(count)))
        out = []
        for q, earned in zip(self.problem_set.questions, self.points):
            possible = q.points
            fractions = [e / possible for e in earned] if possible > 0 else []
            rest = [total - e for total, e in zip(totals, earned)]
            out.append(QuestionStats(
                q.id, q.title, possible, len(earned),
                statistics.fmean(earned) if earned else None,
                statistics.fmean(fractions) if fractions else None,
                item_rest_correlation(fractions, rest) if fractions else None,
            ))
        return out

    def wrong_answers(self, top: int = TOP_WRONG_ANSWERS) -> list[PartWrongAnswers]:
        return [self.wrong[key].top(key, top) for key in self.part_keys if key in self.wrong]

    def wrong_answers_truncated(self) -> bool:
        return any(w.truncated for w in self.wrong.values())

    def invalid_shares(self) -> list[InvalidShare]:
        return [InvalidShare(q, p, self.invalid[(q, p)], self.received[(q, p)])
                for q, p in self.part_keys if self.received[(q, p)]]

    def stats(self, bins: int = HISTOGRAM_BINS) -> ClassStats:
        possible = self.problem_set.assignment.total_points
        shares = self.invalid_shares()
        return ClassStats(
            submissions=self.submissions,
            students=len(self.student_ids),
            possible=possible,
            scored=len(self.totals),
            totals=summary(self.totals),
            histogram=tuple(histogram(self.totals, possible, bins)),
            questions=tuple(self.question_stats()),
            wrong_answers=tuple(self.wrong_answers()),
            invalid_shares=tuple(shares),
            flagged_invalid=tuple(flag_invalid(shares)),
            pending_reviews=sum(self.pending.values()),
            pending_by_part=tuple(PendingPart(q, p, self.pending[(q, p)]) for q, p in self.part_keys
                                  if self.pending[(q, p)]),
            failures=FailureCounts(self.outcomes[Outcome.RAISED], self.outcomes[Outcome.TIMED_OUT],
                                   self.outcomes[Outcome.GRADER_ERROR], tuple(self.grader_errors)),
        )


# The whole class at once (tests, small tools): the same tally.

def class_stats(results: Iterable[StudentResult], problem_set: ProblemSet, bins: int = HISTOGRAM_BINS) -> ClassStats:
    return ClassTally(problem_set).add_all(results).stats(bins)


def question_stats(results: Iterable[StudentResult], problem_set: ProblemSet) -> list[QuestionStats]:
    return ClassTally(problem_set).add_all(results).question_stats()


def wrong_answers(results: Iterable[StudentResult], problem_set: ProblemSet,
                  top: int = TOP_WRONG_ANSWERS) -> list[PartWrongAnswers]:
    return ClassTally(problem_set).add_all(results).wrong_answers(top)


def invalid_shares(results: Iterable[StudentResult], problem_set: ProblemSet) -> list[InvalidShare]:
    return ClassTally(problem_set).add_all(results).invalid_shares()

