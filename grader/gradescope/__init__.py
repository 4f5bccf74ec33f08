"""Gradescope support: the autograder zip (`build.py`) and the run in the container (`run.py`).

**One Gradescope test per question part.** A part is the unit of everything the grader decides:
it has its own points, its own outcome (correct, partially correct, invalid format, raised, ...),
its own partial credit (a function part scores the share of inputs that agree; a multiple-choice
part right-minus-wrong), its own common-mistake message and its own expected answer. A test per
question would have to merge several outcomes into one pass/fail status and one score (question
2e's value and its "is it finite?" flag), and a student would have to find in a combined block
which of their answers lost the points. Per part, Gradescope's own status colours and scores say it
directly, and each test's output is exactly the block `grade submit` prints for that part. Tests
are named "2c · q2c (question title)" and numbered "<section>.<k>", the k-th part of the section in
the document's order (2c is "2.3").

**Visibility** (see `results_json.py`): the scored tests are `visible` and show what the assignment's
policy lets a student see now; the secrets — expected answers with their explanations, the inputs
and expected values of the hidden random checks — appear in a second test per part, 0 points,
`after_due_date`, only when the policy keeps something secret. Free-text parts say "pending review"
and count their provisional score or 0 as `policies.free_text_counts_provisionally` says. Details
for staff (tracebacks) go to a `hidden` test, only when the grader failed, and to stdout, which is
staff-only (`stdout_visibility: hidden`).

**Robustness** (see `run.py`): a supervisor that never runs student code starts the grading in a
worker process with a global deadline, and writes results.json itself, atomically, at the end,
whatever happened.
"""
