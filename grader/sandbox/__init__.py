"""Running student code: the child process, its confinement, and what it reports.

Everything on the far side of the trust boundary is started, confined and listened to from here;
nothing in this package decides a score or holds an expected answer. It imports only the standard
library (the sandbox interpreter, and a TA's Linux account running strict isolation, may have
nothing else), and `child/` holds what runs next to the student's code.
"""
