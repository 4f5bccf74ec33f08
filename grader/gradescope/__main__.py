"""`python -m grader.gradescope run|build ...`: the `grade gradescope` commands on their own."""

from grader.gradescope.cli import gradescope

if __name__ == "__main__":
    gradescope(prog_name="grade gradescope")
