"""The answer channel, the parent's end: the one way answers come back from the child.

Where the platform lets a child inherit a descriptor (POSIX), it is a pipe: the child gets the
write end's number in argv. Elsewhere (Windows) the child connects to a loopback listener and
first sends a one-time token that it read on stdin; a thread checks the token and copies what the
child sends into a socket pair, so that the runner reads one kind of object everywhere, with a
selector (which on Windows accepts sockets only).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from typing import Any

from grader.sandbox import portability

TOKEN_SECONDS = 30.0
"""How long a connection may take to present its token."""


class AnswerChannel:
    def __init__(self) -> None:
        self.child_fd: int | None = None
        """The descriptor the child inherits (a pipe's write end), or None when it connects."""
        self.plan_fields: dict[str, Any] = {}
        """What the child's plan carries to find the channel (the loopback address and token)."""
        self._fd: int | None = None
        self._sock: socket.socket | None = None
        self._closed = threading.Event()
        if portability.PASS_FDS:
            self._fd, self.child_fd = os.pipe()
        else:
            self._open_loopback()

    @property
    def argv_word(self) -> str:
        """How the harness's command line names the channel."""
        return "connect" if self.child_fd is None else str(self.child_fd)

    def fileno(self) -> int:
        return self._fd if self._fd is not None else self._reader().fileno()

    def read(self, size: int) -> bytes:
        if self._fd is not None:
            return os.read(self._fd, size)
        try:
            return self._reader().recv(size)
        except OSError:
            return b""

    def close_child_end(self) -> None:
        """Once the child has started: the parent must not hold the write end (EOF would never come)."""
        if self.child_fd is not None:
            os.close(self.child_fd)
            self.child_fd = None

    def close(self) -> None:
        self._closed.set()
        self.close_child_end()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._sock is not None:
            self._sock.close()

    # -- the loopback channel ---------------------------------------------------------------------

    def _reader(self) -> socket.socket:
        assert self._sock is not None
        return self._sock

    def _open_loopback(self) -> None:
        listener = socket.create_server(("127.0.0.1", 0))
        token = secrets.token_hex(16)
        self.plan_fields = {"channel": {"port": listener.getsockname()[1], "token": token}}
        self._sock, pump_end = socket.socketpair()
        threading.Thread(target=self._pump, args=(listener, token, pump_end), daemon=True).start()

    def _pump(self, listener: socket.socket, token: str, pump_end: socket.socket) -> None:
        """Accept until the child's connection presents the token, then copy it to `pump_end`."""
        listener.settimeout(0.2)
        try:
            while not self._closed.is_set():
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                with connection:
                    if _token_of(connection) == token:
                        listener.close()
                        _copy(connection, pump_end, self._closed)
                        return
        finally:
            listener.close()
            pump_end.close()


def _token_of(connection: socket.socket) -> str:
    """The first line, read a byte at a time so that nothing after it is consumed."""
    connection.settimeout(TOKEN_SECONDS)
    received = b""
    try:
        while not received.endswith(b"\n") and len(received) < 100:
            byte = connection.recv(1)
            if not byte:
                break
            received += byte
    except OSError:
        return ""
    return received.rstrip(b"\n").decode("ascii", "replace")


def _copy(source: socket.socket, target: socket.socket, closed: threading.Event) -> None:
    source.settimeout(0.2)
    while not closed.is_set():
        try:
            chunk = source.recv(1 << 16)
        except TimeoutError:
            continue
        except OSError:
            return
        if not chunk:
            return
        try:
            target.sendall(chunk)
        except OSError:
            return
