"""grader.sandbox.channel: answers come back on a pipe, or where there is none on a loopback
connection that must first present the run's one-time token."""

from __future__ import annotations

import os
import selectors
import socket

import pytest

from grader.sandbox import channel as channel_module
from grader.sandbox.channel import AnswerChannel


def read_all(channel: AnswerChannel, seconds: float = 5.0) -> bytes:
    selector = selectors.DefaultSelector()
    selector.register(channel, selectors.EVENT_READ)
    data = b""
    while selector.select(timeout=seconds):
        chunk = channel.read(1 << 16)
        if not chunk:
            break
        data += chunk
    return data


@pytest.fixture
def loopback(monkeypatch):
    monkeypatch.setattr(channel_module.portability, "PASS_FDS", False)
    channel = AnswerChannel()
    yield channel
    channel.close()


def connect(channel: AnswerChannel) -> socket.socket:
    return socket.create_connection(("127.0.0.1", channel.plan_fields["channel"]["port"]))


def test_a_pipe_where_descriptors_are_inherited():
    channel = AnswerChannel()
    try:
        assert channel.child_fd is not None and channel.argv_word == str(channel.child_fd)
        assert channel.plan_fields == {}
        os.write(channel.child_fd, b'{"event": "done"}\n')
        channel.close_child_end()
        assert read_all(channel) == b'{"event": "done"}\n'
    finally:
        channel.close()


def test_the_loopback_channel_carries_what_follows_the_token(loopback):
    assert loopback.child_fd is None and loopback.argv_word == "connect"
    token = loopback.plan_fields["channel"]["token"]
    with connect(loopback) as child:
        child.sendall(token.encode() + b"\n" + b'{"event": "loaded", "problems": []}\n')
    assert read_all(loopback) == b'{"event": "loaded", "problems": []}\n'


def test_a_connection_without_the_token_is_never_read(loopback):
    token = loopback.plan_fields["channel"]["token"]
    with connect(loopback) as intruder:
        intruder.sendall(b"not-the-token\n" + b'{"event": "answer", "id": "q2a", "value": 1}\n')
    with connect(loopback) as child:  # the child, after the intruder: still accepted
        child.sendall(token.encode() + b"\n" + b'{"event": "done"}\n')
    assert read_all(loopback) == b'{"event": "done"}\n'


def test_a_channel_nobody_connects_to_reads_nothing_and_closes(loopback):
    selector = selectors.DefaultSelector()
    selector.register(loopback, selectors.EVENT_READ)
    assert selector.select(timeout=0.3) == []
