"""What this platform offers the process level, decided once: Linux and macOS have it all but
/proc and prctl; Windows lacks signals for timers, process groups, inheritable pipe descriptors and
resource limits. Each missing piece has a fallback that keeps the verdicts the same:

- `ALARM` (SIGALRM, setitimer): the harness's per-answer timer and the grader's own time limits.
  Without it the parent's deadline kills the child and starts it again without that answer, and
  the grader's limits use a timer thread.
- `PROCESS_GROUPS` (setsid, killpg): killing everything a run started. Without it the child itself
  is killed; what it started in the background may outlive it.
- `PASS_FDS` (an inherited pipe): the answer channel. Without it, a loopback TCP connection that
  the child opens with a one-time token it reads on stdin.
- `RLIMITS` (the resource module): memory, CPU and file-size limits. Without it, deadlines only.

The tests force every fallback on Linux (tests/test_portability.py), which is how they are tested.
"""

from __future__ import annotations

import os
import signal

ALARM = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
PROCESS_GROUPS = hasattr(os, "killpg") and hasattr(os, "setsid")
PASS_FDS = os.name == "posix"
try:
    import resource  # noqa: F401
    RLIMITS = True
except ImportError:
    RLIMITS = False
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)
"""The signal that ends a process at once (Windows' os.kill terminates with any)."""
