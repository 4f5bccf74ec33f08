"""grader: exact, helpful, safe auto-grading for quantitative problem sets.

The `grade` command is the `cli` package; one submission's path through the package is `pipeline.py`.
ARCHITECTURE.md (at the repository's root) maps the packages and the rules between them.
"""
