"""Newline-delimited JSON frames over a socket: how each sandbox talks to the grading host.

Shared by the host and both sandboxes (standard library only). A frame larger than
``MAX_FRAME`` or one that is not a JSON object is a protocol error, never a crash.
"""

from __future__ import annotations

import json
import os
import select
import socket
import time
from typing import Any

MAX_FRAME = 64 * 1024**2


class ChannelClosed(EOFError):
    """The other end is gone."""


class ChannelTimeout(TimeoutError):
    """No complete frame arrived in time."""


class ChannelError(ValueError):
    """The other end sent something that is not a frame."""


class Channel:
    """One end of a frame channel over a connected stream socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.frames: list[bytes] = []

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, frame: dict[str, Any]) -> None:
        data = json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(data) > MAX_FRAME:
            raise ChannelError("the message is too large")
        try:
            self.sock.sendall(data + b"\n")
        except OSError as exc:
            raise ChannelClosed(str(exc)) from exc

    def pending(self) -> bool:
        return bool(self.frames)

    def feed(self) -> None:
        """Read what the socket has now (it must be readable); raises ChannelClosed at EOF."""
        try:
            chunk = self.sock.recv(1024 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            raise ChannelClosed(str(exc)) from exc
        if not chunk:
            raise ChannelClosed("end of stream")
        self.buffer += chunk
        while True:
            end = self.buffer.find(b"\n")
            if end < 0:
                break
            self.frames.append(bytes(self.buffer[:end]))
            del self.buffer[: end + 1]
        if len(self.buffer) > MAX_FRAME:
            self.buffer.clear()
            raise ChannelError("a message was larger than the channel allows")

    def next_frame(self) -> dict[str, Any]:
        """Pop one decoded frame (``pending()`` must be true); ChannelError if it is not one."""
        raw = self.frames.pop(0)
        try:
            frame = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ChannelError("a message was not valid JSON") from exc
        if type(frame) is not dict:
            raise ChannelError("a message was not an object")
        return frame

    def recv(self, timeout: float | None = None) -> dict[str, Any]:
        """Block for the next frame; ChannelTimeout after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.frames:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _w, _x = select.select([self.sock], [], [], wait)
            if not readable:
                raise ChannelTimeout("no answer in time")
            self.feed()
        return self.next_frame()


def channel_from_fd(fd: int) -> Channel:
    """The channel on an inherited socket descriptor (the sandbox side)."""
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    return Channel(sock)


def close_other_fds(keep: int) -> None:
    """Close every inherited descriptor above stderr except ``keep``."""
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
