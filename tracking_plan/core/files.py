"""Reading input files safely: only regular files, never more than a bound.

A FIFO would block a read forever and a device (`/dev/zero`) never ends, so a file is opened without
blocking, checked to be a regular file on the open descriptor (no race with a swap), and read up to
its bound plus one byte, whatever size it claims.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(Exception):
    """The path is not a regular file, cannot be read, or is larger than allowed; the message says which."""

    def __init__(self, message: str, hint: str, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.kind = kind
        """unreadable, not-regular or too-large."""


def is_within(path: Path, root: Path) -> bool:
    """Whether `path`, with every link followed, is `root` or below it (a link loop is not)."""
    try:
        real, top = path.resolve(strict=True), root.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == top or top in real.parents


def read_regular(path: Path | str, limit: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise FileRefused(f"Cannot read it: {exc.strerror or exc}.",
                          "Check that the file exists and that you may read it.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("It is not a regular file (a folder, device, FIFO or socket), so it is not read.",
                              "Plan and input files must be ordinary files.", "not-regular")
        if info.st_size > limit:
            raise FileRefused(f"It is {info.st_size / 1048576:.1f} MiB; at most {limit // 1048576} MiB is read.",
                              "Split it into smaller files.", "too-large")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileRefused(f"It holds more than {limit // 1048576} MiB; at most that much is read.",
                              "Split it into smaller files.", "too-large")
        return data
    except OSError as exc:
        raise FileRefused(f"Cannot read it: {exc.strerror or exc}.",
                          "Check that the file exists and that you may read it.") from None
    finally:
        os.close(fd)
