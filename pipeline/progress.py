"""A small progress bar on stderr (no dependency): shown on a terminal, one summary line otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], label: str, *, total: int | None = None, stream=None) -> Iterator[T]:
    """Yield ``items`` while drawing ``label [#####-----] 7/16``; a final line says how long it took."""
    stream = stream or sys.stderr
    seq: Iterable[T] = items
    if total is None:
        seq = list(items)
        total = len(seq)
    live = hasattr(stream, "isatty") and stream.isatty()
    start = time.perf_counter()
    done = 0
    for item in seq:
        yield item
        done += 1
        if live:
            filled = int(30 * done / max(total, 1))
            stream.write(f"\r{label} [{'#' * filled}{'-' * (30 - filled)}] {done}/{total}")
            stream.flush()
    elapsed = time.perf_counter() - start
    stream.write(("\r" if live else "") + f"{label}: {done}/{total} ({elapsed:.1f} giây)" + " " * 20 + "\n")
    stream.flush()
