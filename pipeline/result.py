"""The finished result of a run's checking stages: what consolidation and every writer read.

It sits below the stages that consume it (``district``, ``outputs``) and above the ones that fill it
(``intake``, ``checks``), so no stage needs to import the orchestrator in ``run.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.config.period import Period
from pipeline.config.settings import Settings
from pipeline.core.findings import Finding
from pipeline.intake.files import FileResult
from pipeline.text.names import ascii_name, strip_unit_prefix


@dataclass
class RunResult:
    """Everything the writers need."""

    settings: Settings
    period: Period
    input_dir: Path
    files: list[FileResult]
    cells: pd.DataFrame                 # every cell read, clean, with ``usable``
    findings: list[Finding]
    units: pd.DataFrame                 # one row per registry unit: status, file, counts
    used_samples: bool = False
    #: The period most files are of when it is not the run's (the clerk ran the wrong period).
    other_period: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    #: Unit code (or file) → feedback copy written for it (relative to the output folder).
    feedback: dict[str, str] = field(default_factory=dict)
    #: Seconds per stage (discover, read, normalize, validate, rules, consolidate, write).
    timings: dict[str, float] = field(default_factory=dict)
    #: CPU seconds the intake workers spent reading and normalizing, summed over files (the
    #: "read" stage's wall time covers both, in parallel).
    worker_seconds: dict[str, float] = field(default_factory=dict)
    started: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    #: The history archive's part (pipeline.archive): file → (SHA-256, size) of the files looked at;
    #: cells changed since a unit's archived file of this period (history.CHANGE_COLUMNS); the
    #: archived values of the other periods; and what recording this run changed.
    hashes: dict[str, tuple[str, int]] = field(default_factory=dict)
    changes: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    archived: dict[str, int] = field(default_factory=dict)
    #: The trend sheet's figures (pipeline.archive.trend) of the other archived periods, long form.
    trend: pd.DataFrame | None = None

    @property
    def district_slug(self) -> str:
        return ascii_name(strip_unit_prefix(self.settings.registry.name))
