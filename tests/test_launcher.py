"""The Windows launcher (TongHop.cmd) does what the Makefile does, in the same words."""

from __future__ import annotations

import re

from conftest import REPO

LAUNCHER = REPO / "TongHop.cmd"


def _commands(text: str, python: str) -> list[str]:
    """The lines that run the project's Python, with the interpreter's path taken out."""
    return [re.sub(r"\s+", " ", line.split(python, 1)[1]).strip()
            for line in text.splitlines() if python in line and " -m " in line]


def test_launcher_runs_the_makefiles_commands():
    make = _commands((REPO / "Makefile").read_text(encoding="utf-8"), "$(PY)")
    launcher = _commands(LAUNCHER.read_text(encoding="utf-8"), '"%PY%"')
    # the Makefile also installs the test tools, a clerk does not need them
    make = [line.replace("-e '.[test]'", "-e .") for line in make]
    assert "-m pip install --quiet -c requirements.lock -e ." in launcher
    assert "-m pip install --quiet --upgrade pip" in launcher
    assert set(launcher) - {"-m pipeline consolidate %*"} <= set(make)
    assert "-m pipeline consolidate $(ARGS)" in make


def test_launcher_sets_up_once_keeps_the_window_and_opens_the_output():
    raw = LAUNCHER.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "cmd.exe needs CRLF lines"
    text = raw.decode("utf-8")
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "@echo off" and "chcp 65001 >nul" in lines[:5]  # Vietnamese on the console
    assert 'cd /d "%~dp0"' in lines  # double-clicked from anywhere, runs in its own folder
    assert "py -3 -m venv .venv" in lines
    assert 'if exist "%STAMP%" goto run' in lines  # set up only the first time
    assert 'start "" "output"' in text and lines[-1] == "pause"
