"""The code that runs next to student code: in the child process, or in a warm worker that forks it.

Every module here imports only the standard library and this package (an import-linter contract
and `tests/test_layout.py` enforce it): the sandbox interpreter may have nothing else installed,
and a warm worker stages a copy of this one package where the sandbox user can read it.
Nothing here ever holds an expected answer.
"""
