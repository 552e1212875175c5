"""Keep what native code writes to the process's stderr (fd 2) off the clerk's console.

A Rust panic inside python-calamine prints "thread … panicked at …" (and a backtrace when
RUST_BACKTRACE is set) straight to file descriptor 2 before Python sees the exception; the run turns
the exception into a finding on the file, so that text is only noise on the console. Around a call
into the library, fd 2 points at a private temporary file (one per process, reused).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

_SINK: list = []


@contextmanager
def native_stderr_captured() -> Iterator[None]:
    try:
        if not _SINK:
            _SINK.append(tempfile.TemporaryFile())
        sink = _SINK[0]
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable fd 2 (a GUI launcher): nothing to hide
        yield
        return
    os.dup2(sink.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        sink.seek(0)
        sink.truncate()
