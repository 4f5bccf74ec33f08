"""The records of a run: what the submission's process said about each requested answer.

One `RunRecord` per run of a file (like pytest's CallInfo: result or problem, plus timing), one
`RawAnswer` per request. Nothing here has been checked yet: checking happens in `grading.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from grader.sandbox.wire import clean_text


class AnswerStatus(str, Enum):
    VALUE = "value"                      # the name was defined (and, if asked, the call returned)
    NONCALLABLE = "noncallable"          # a call was asked for but the name holds a plain value
    MISSING = "missing"                  # the name is not defined
    NOT_IMPLEMENTED = "not_implemented"  # the template's stub: raise NotImplementedError
    RAISED = "raised"                    # the student's code raised an exception
    TIMED_OUT = "timed_out"              # the answer took longer than allowed
    LOST = "lost"                        # the process ended (crash, os._exit) before answering
    TOO_LARGE = "too_large"              # the value exceeds the transfer limits
    UNREADABLE = "unreadable"            # the message broke the protocol
    NO_ANSWER = "no_answer"              # the grader itself never got an answer (its own failure)


def place(line: int, cell: str = "") -> str:
    """Where a line is, as the student finds it: "line 7", or "cell 3 ("import numpy"), line 2"."""
    return f"{cell}, line {line}" if cell else f"line {line}"


@dataclass(frozen=True)
class Frame:
    line: int
    function: str
    code: str
    cell: str = ""
    """The notebook cell the line is in (its line within that cell), or "" in a .py file."""


@dataclass(frozen=True)
class StudentProblem:
    """An exception or syntax error in the student's file, with the student's own frames only."""

    type: str
    message: str
    line: int | None = None
    code: str = ""
    frames: tuple[Frame, ...] = ()
    defines: tuple[str, ...] = ()
    """Names the failing statement would have defined (so their answers are missing)."""
    cell: str = ""
    """The notebook cell of `line` (see Frame.cell)."""

    @classmethod
    def from_message(cls, data: Mapping[str, Any]) -> StudentProblem:
        """Build from the child's message, trusting none of its types (the child may forge it)."""
        def text(value: Any, limit: int) -> str:
            return clean_text(value[:limit]) if isinstance(value, str) else ""

        def number(value: Any) -> int | None:
            return value if type(value) is int else None

        raw_frames = data.get("frames")
        frames = tuple(
            Frame(number(f.get("line")) or 0, text(f.get("function"), 100), text(f.get("code"), 200))
            for f in (raw_frames[:20] if isinstance(raw_frames, list) else []) if isinstance(f, dict)
        )
        line = number(data.get("line"))
        if line is None and frames:
            line = frames[-1].line
        raw_defines = data.get("defines")
        defines = tuple(n[:100] for n in (raw_defines[:50] if isinstance(raw_defines, list) else [])
                        if isinstance(n, str))
        return cls(text(data.get("type"), 100) or "Exception", text(data.get("message"), 1000), line,
                   text(data.get("code"), 200), frames, defines)

    def summary(self) -> str:
        where = f" ({place(self.line, self.cell)})" if self.line else ""
        return f"{self.type}: {self.message}{where}" if self.message else f"{self.type}{where}"


@dataclass(frozen=True)
class RawAnswer:
    status: AnswerStatus
    value: Any = None
    problem: StudentProblem | None = None
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class RunRecord:
    """Everything one graded run of a file produced."""

    answers: Mapping[str, RawAnswer]
    load_problems: tuple[StudentProblem, ...] = ()
    """Syntax errors and exceptions at the top level of the file (the rest of it still ran)."""
    skipped_statements: tuple[tuple[int, str, str], ...] = ()
    """Top-level statements (line, reason, notebook cell or "") skipped because they hung or
    killed the process."""
    launches: int = 1
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    isolation: str = "process"
    grader_error: str | None = None
    """Set when the grader itself failed (never the student's fault)."""
    notes: tuple[str, ...] = ()
    """What the grader had to do about this run besides grading it (e.g. replace a worker it killed)."""

    def answer(self, request_id: str) -> RawAnswer:
        return self.answers.get(request_id) or RawAnswer(
            AnswerStatus.NO_ANSWER, detail="the grader received no answer for this request")
