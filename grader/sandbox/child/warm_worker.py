"""A warm worker: an interpreter that already imported numpy, scipy.stats and sympy, and forks one
confined child per submission — about 20 ms instead of about 1.5 s for a fresh interpreter.

It runs from a staged copy of this package (`grader.sandbox.warm` copies it where the sandbox
user can read it), so it imports only the standard library at the top, and the libraries
submissions use inside `serve`. It never holds an expected answer: it receives only what a fresh
child would (the plan of names and inputs, the staged submission). Each child confines itself
(`confine.py`, or the user level's uid drop and filter) before it touches the submission, then
runs the same harness as a fresh child.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import socket
from pathlib import Path
from typing import Any, NoReturn

from grader.sandbox.child import confine, harness, reaping, seccomp
from grader.sandbox.child.limits import ResourceLimits, apply_limits

PR_SET_PDEATHSIG = 1
WARM_MODULES = ("numpy", "scipy.stats", "sympy")


def serve(control_fd: int) -> None:
    """Worker main loop: one request at a time on the control socket."""
    control = socket.socket(fileno=control_fd)
    for name in WARM_MODULES:
        try:
            __import__(name)
        except ImportError:
            pass
    _warm_up()
    # Objects that exist now are never collected by a child: its garbage collector then does not
    # touch (and so copy) every page of the inherited heap.
    gc.freeze()
    reaping.become_subreaper()  # what a child leaves behind re-parents here and is swept below

    control.sendall(b'{"ready": true}\n')
    while True:
        message, fds, _, _ = socket.recv_fds(control, 4096, 2)
        if not message:
            return
        order = json.loads(message)
        if order.get("sibling"):
            # A second worker, already warm, for the grader's next slot: a fork of this one costs
            # about 15 ms instead of 2 s of imports. It serves the socket that came with the message.
            pid = os.fork()
            if pid == 0:
                control.close()
                control = socket.socket(fileno=fds[0])
                reaping.become_subreaper()
                control.sendall(b'{"ready": true}\n')
                continue
            os.close(fds[0])
            reaping.register_child(pid)  # not an escapee: kill_orphans spares it
            control.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            continue
        request = json.loads(Path(order["request"]).read_text())
        strict = request["isolation"]["level"] == "strict"
        try:
            pid = confine.fork_in_new_pid_namespace() if strict else os.fork()
        except OSError as exc:  # e.g. out of namespaces or memory: this submission fails, not the worker
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": f"could not start the child: {exc}"}).encode() + b"\n")
            continue
        if pid == 0:
            _child(control, request, fds)  # never returns
        for fd in fds:
            os.close(fd)
        control.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        _, status = os.waitpid(pid, 0)
        if not strict:
            # The worker starts nothing else: every other child is an escapee. (At strict, every
            # process the submission starts lives in the child's PID namespace and died with it.)
            reaping.kill_orphans()
        control.sendall(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode() + b"\n")


def _warm_up() -> None:
    """Run what submissions commonly run, so that its lazy imports and caches are warm in every
    child: sympy alone imports a dozen modules (e.g. combinatorics, ~70 ms) on a first Piecewise.
    Generic computations only: the worker never holds an expected answer."""
    try:
        import numpy
        import sympy

        x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", positive=True)
        sympy.Piecewise((sympy.exp(-x**2 / 2) / sympy.sqrt(2 * sympy.pi), x >= 0), (0, True))
        sympy.simplify(sympy.log(y) + sympy.Rational(1, 2) * sympy.log(y**2))
        sympy.integrate(sympy.exp(-y), (y, 0, sympy.oo))
        sympy.diff(sympy.sin(x) * x, x)
        sympy.lambdify(x, sympy.exp(x), "numpy")(numpy.array([0.0, 1.0]))
        sympy.sympify("log(2)/2 + sqrt(x)").evalf()
        sympy.Matrix([[1, x], [0, 1]]).det()
    except Exception:  # a missing library or another version: the children are only slower
        pass


def _die_with_parent() -> None:
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _child(control: socket.socket, request: dict[str, Any], fds: list[int]) -> NoReturn:
    """In the forked child: confine, then run the harness. Exits, never returns."""
    try:
        control.close()  # the submission must not talk to the worker
        answer_fd, output_fd = fds
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.dup2(answer_fd, 3)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.closerange(4, 65536)
        os.environ.clear()
        os.environ.update(request["env"])
        config = request["isolation"]
        level = config["level"]
        confinement = confine.Confinement(config["python"], config["uid"], config["gid"],
                                          ResourceLimits(**config["limits"]))
        if level == "strict":
            # This process is pid 1 of its own PID namespace (see serve): every process the
            # submission starts dies with it. It dies with the worker too: set before confining,
            # and again after, because the uid change clears it.
            _die_with_parent()
            confine.confine_forked_child(confinement, request["mount_point"],
                                         {request["submission_dir"]: "/submission"})
            _die_with_parent()
            os.chdir("/tmp")
        else:
            os.setsid()
            confine.drop_to(confinement.uid, confinement.gid)  # the user level: no namespaces
            apply_limits(confinement.limits, own_uid=confinement.uid is not None)
            if level == "user" and seccomp.supported():
                seccomp.load_filter()
            os.chdir(request["submission_dir"])
        harness.run(request["plan"], 3)
    finally:
        os._exit(70)
