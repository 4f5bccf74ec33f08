"""What a student is handed: the starter file (`grade template`, `starter.py`), one question as a
student sees it (`grade show`, `show.py`), and the student bundle.

    grade bundle student --out DIR          (bundle.py, wired by handout/cli.py)

writes the prompts, the starter `answers.py`, the problem set's specs with every secret stripped
(`public_spec.py`: a whitelist, not a blacklist) and a copy of the grader package, so that in DIR

    python -m grader.handout.check answers.py          (check.py)

runs every check that needs no secret: each name defined, the right type and shape, functions
callable and finite at the document's (public) inputs, public sanity ranges. Correctness is
checked only on upload, where the reference solution lives.
"""
