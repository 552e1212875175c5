"""The closed sets of states a run speaks in: finding levels, unit statuses, file states.

``StrEnum`` members are their Vietnamese words (what a person reads in every output), so writing one
into a workbook or CSV needs no mapping; code compares members, never literal strings.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """How serious a finding is."""

    #: The value cannot be used: it is left out of the totals.
    ERROR = "Lỗi"
    #: Used, but looks wrong.
    WARNING = "Cảnh báo"
    #: Information.
    INFO = "Lưu ý"

    @property
    def rank(self) -> int:
        """Sort key: 0 for the most serious."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


class UnitStatus(StrEnum):
    """A registry unit's state in a run (TH00, the check report, the end-of-run table)."""

    OK = "Hợp lệ"
    WARN = "Có cảnh báo"
    ERROR = "Có lỗi"
    MISSING = "Chưa nộp"


class FileState(StrEnum):
    """What a run did with one file it found."""

    #: Its data is usable.
    READ = "read"
    #: Unreadable or not this run's (wrong period, unknown unit, unsafe file).
    REFUSED = "refused"
    #: Not a workbook (a lock file, a .docx …).
    SKIPPED = "skipped"
    #: An older file of a unit that sent several.
    SUPERSEDED = "superseded"
