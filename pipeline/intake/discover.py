"""Find the files a run reads: every workbook under the input folder, sub-folders included.

Nothing found is dropped silently: a sub-folder that cannot be listed is returned as such (its
files are a finding, never a unit shown as "Chưa nộp"), and special files or broken links named
like workbooks are returned as workbooks, for the safety check to refuse with a reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.intake.safety import WORKBOOK_SUFFIXES


@dataclass(frozen=True)
class Found:
    path: Path
    rel: str                  # relative to the input folder, "/"-separated
    kind: str                 # "workbook" | "lock" | "other" | "folder-unreadable"


def discover(folder: Path) -> list[Found]:
    """Files under ``folder`` in a stable order; hidden files and folders (``.gitkeep``) are not
    listed; folders that cannot be read are listed with kind "folder-unreadable"."""
    folder = Path(folder)
    found: list[Found] = []

    def unreadable(error: OSError) -> None:
        path = Path(error.filename) if error.filename else folder
        rel = path.relative_to(folder).as_posix() if path != folder else "."
        found.append(Found(path, rel, "folder-unreadable"))

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(top) / name
            found.append(Found(path, path.relative_to(folder).as_posix(), _kind(name)))
    return sorted(found, key=lambda f: f.path)


def _kind(name: str) -> str:
    if name.startswith("~$"):
        return "lock"
    return "workbook" if Path(name).suffix.lower() in WORKBOOK_SUFFIXES else "other"
