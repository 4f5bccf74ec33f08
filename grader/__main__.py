"""`python -m grader ...`: the `grade` command, for an environment without the console script."""

from grader.cli import main

main()
