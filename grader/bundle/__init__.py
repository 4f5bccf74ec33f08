"""The student bundle: everything a student needs to check their work locally, and no secret.

    grade bundle student --out DIR          (build.py, wired by cli.py)

writes the prompts, the starter `answers.py`, the problem set's specs with every secret stripped
(`public_spec.py`: a whitelist, not a blacklist) and a copy of the grader package, so that in DIR

    python -m grader.bundle.check answers.py          (check.py)

runs every check that needs no secret: each name defined, the right type and shape, functions
callable and finite at the document's (public) inputs, public sanity ranges. Correctness is
checked only on upload, where the reference solution lives.
"""
