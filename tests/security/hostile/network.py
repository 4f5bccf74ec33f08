"""Hostile: reach the network — the internet, a port on the grader's machine, an abstract socket.

Attack: TCP connect to 1.1.1.1:80 (exfiltrate, or fetch answers), to 127.0.0.1:47913 (a port the
test opens: a service on the grading machine), to an abstract Unix socket "\\0SECTEST-grader" (which
the test also opens), and a DNS lookup. q3a reports what happened; q2d answers with whatever the
local "service" sent (the test's listener sends nothing useful).

Expected at the strict level: every attempt fails (seccomp refuses AF_INET sockets, the sandbox has
its own empty network namespace, and abstract sockets belong to the namespace). At the process level
the child shares the grader's network: the test records what happens and does not require failure.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math
import socket

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

PORT = 47913
results = {}
received = b""


def _attempt(name, family, address):
    global received
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        results[name] = f"socket refused ({exc.__class__.__name__} errno {exc.errno})"
        return
    sock.settimeout(1.0)
    try:
        sock.connect(address)
        results[name] = "CONNECTED"
        try:
            sock.sendall(b"SECTEST hello from a submission\n")
            received += sock.recv(100)
        except OSError:
            pass
    except OSError as exc:
        results[name] = f"connect failed ({exc.__class__.__name__} errno {exc.errno})"
    finally:
        sock.close()


_attempt("internet", socket.AF_INET, ("1.1.1.1", 80))
_attempt("localhost", socket.AF_INET, ("127.0.0.1", PORT))
_attempt("abstract", socket.AF_UNIX, "\0SECTEST-grader")
try:
    socket.getaddrinfo("example.com", 80)
    results["dns"] = "RESOLVED"
except OSError as exc:
    results["dns"] = f"failed ({exc.__class__.__name__})"

q2d = float(received.decode() or "0.5") if received.strip().replace(b".", b"").isdigit() else None


def q3a():
    return "SECTEST network: " + "; ".join(f"{k}: {v}" for k, v in results.items())
