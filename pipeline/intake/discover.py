"""Find the files a run reads: every workbook under the input folder, sub-folders included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.intake.safety import WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class Found:
    path: Path
    rel: str                  # relative to the input folder, "/"-separated
    kind: str                 # "workbook" | "lock" | "other"


def discover(folder: Path) -> list[Found]:
    """Files under ``folder`` in a stable order; hidden files (``.gitkeep``) are not listed."""
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        rel = path.relative_to(folder).as_posix()
        if path.name.startswith("~$"):
            kind = "lock"
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            kind = "workbook"
        else:
            kind = "other"
        found.append(Found(path, rel, kind))
    return found
