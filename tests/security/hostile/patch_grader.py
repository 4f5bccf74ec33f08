"""Hostile: import the grader package itself and patch its checkers to accept everything.

Attack: `import grader` (possible at the process level, where the child uses the grader's own
interpreter and site-packages), then replace grader.checking.checkers.number.grade, .parse, base.correct,
grading.grade_run and values.decode with versions that report success. q2d is wrong.

Expected: the patched modules live in the child's memory only; the parent's checkers are its own, so
q2d earns 0. At the strict level the grader package is not even importable in the sandbox. q3a
returns what the attack could do (the test documents it).
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong

log = []
try:
    import grader
    import grader.checking.checkers.base as base
    import grader.checking.checkers.number as number
    import grader.checking.grading as grading
    import grader.sandbox.wire as values

    log.append(f"SECTEST imported grader from {grader.__file__}")
    number.grade = lambda *a, **k: base.correct()
    number.parse = lambda *a, **k: number.ParsedNumber(0.8413)
    base.correct = lambda *a, **k: base.Verdict(base.Outcome.CORRECT, 1.0)
    grading.grade_run = lambda *a, **k: None
    values.decode = lambda x, depth=0: x
    log.append("patched grader.checking.checkers.number.grade, grader.checking.grading.grade_run, grader.sandbox.wire.decode")
except Exception as exc:
    log.append(f"SECTEST could not import grader: {type(exc).__name__}")


def q3a():
    return "; ".join(log) + " — the attack changed nothing outside this process, we hope"
