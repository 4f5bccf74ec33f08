"""What an executor runs per submission: plain data, so that it can be shipped to another machine.

`SubmissionWork` holds the run plans of the batch's variants and the isolation asked for; called
with a job (its key, file and variant label) it runs the student's file there and returns the
tagged answers (`RunRecord`), never a score: every comparison stays with the coordinator, which
keeps the reference answers. A remote worker calls `for_this_machine()` first: the sandbox of the
same level, chosen by that machine for itself (its interpreter, its sandbox user), or an
`IsolationUnavailable` error saying why it cannot give that level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from grader.batch.executor import Job
from grader.pipeline import run_submission
from grader.problemset.plan import RunPlan
from grader.sandbox import levels
from grader.sandbox.launch import Launcher
from grader.sandbox.levels import Isolation
from grader.sandbox.records import RunRecord


@dataclass(frozen=True)
class SubmissionWork:
    plans: Mapping[str, RunPlan]
    """Variant label → the plan its students' files are run on."""
    sandbox: Isolation

    def __call__(self, job: Job, launcher: Launcher | None) -> RunRecord:
        return run_submission(self.plans[job.variant], job.path, self.sandbox, launcher)

    def for_this_machine(self) -> SubmissionWork:
        """The same work with a sandbox of the same level chosen here (raises IsolationUnavailable)."""
        return replace(self, sandbox=levels.choose(self.sandbox.level, self.sandbox.limits))
