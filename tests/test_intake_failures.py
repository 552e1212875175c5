"""No file can stop the run: every failure while reading one file is a finding on that file only,
in serial and parallel intake, and nothing found in input/ vanishes unseen (issue 10)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil

import foreign
import pandas as pd
import pytest
import python_calamine

from pipeline.cli import main
from pipeline.core.states import UnitStatus
from pipeline.intake import files as intake_files

THO_THANH = "15652"


def _consolidate(inp, out) -> tuple[int, dict, pd.DataFrame]:
    code = main(["consolidate", "--input", str(inp), "--output", str(out)])
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").exists() else {}
    found = (pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
             if (out / "findings.csv").exists() else pd.DataFrame())
    return code, run, found


def _status(run: dict) -> dict[str, str]:
    return {u["unit_code"]: u["status"] for u in run["units"] if u["unit_code"]}


@pytest.fixture
def inp(tmp_path, samples):
    folder = tmp_path / "input"
    folder.mkdir()
    for p in samples:
        shutil.copy2(p, folder / p.name)
    return folder


@pytest.fixture(params=["serial", "parallel"])
def mode(request, monkeypatch):
    """Parallel intake is used from 48 workbooks; the threshold is lowered so the 16 samples and
    the broken files go through the process pool."""
    if request.param == "parallel":
        monkeypatch.setattr(intake_files, "PARALLEL_MIN_FILES", 2)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    else:
        monkeypatch.setattr(intake_files, "PARALLEL_MIN_FILES", 10**9)
    return request.param


def test_root_workbook_really_makes_calamine_panic(tmp_path):
    """The corpus file triggers the library's Rust panic, which is not an ``Exception``."""
    path = foreign.root_workbook(tmp_path / "goc.xlsx")
    with pytest.raises(BaseException) as caught:
        python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    assert not isinstance(caught.value, Exception)
    assert type(caught.value).__name__ == "PanicException"


def test_panicking_file_is_one_finding(inp, tmp_path, mode, capfd):
    foreign.root_workbook(inp / "bang_tinh_la.xlsx")
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    err = capfd.readouterr().err
    assert "panicked" not in err and "Traceback" not in err
    assert set(_status(run).values()) == {UnitStatus.OK}
    mine = found[found["file"] == "bang_tinh_la.xlsx"]
    assert len(mine) and (mine["level"] == "Lỗi").any()
    assert set(found["file"]) == {"bang_tinh_la.xlsx"}


@pytest.mark.parametrize("failure", [MemoryError, RecursionError, KeyError])
def test_any_failure_reading_one_file_is_a_finding_on_it(inp, tmp_path, mode, monkeypatch, failure):
    real = intake_files._intake
    victim = next(p.name for p in inp.iterdir() if p.name.startswith(THO_THANH))

    def reading(path, *args):
        if path.name == victim:
            raise failure("sự cố giả lập")
        return real(path, *args)

    monkeypatch.setattr(intake_files, "_intake", reading)  # forked workers inherit it
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    status = _status(run)
    assert status[THO_THANH] == UnitStatus.ERROR
    assert sum(s == UnitStatus.OK for s in status.values()) == len(status) - 1
    row = found[found["file"] == victim].iloc[0]
    assert row["code"] == "file-crashed" and failure.__name__ in row["detail"]
    assert failure.__name__ not in row["message"]


def test_a_dying_worker_loses_only_its_file(inp, tmp_path, monkeypatch):
    monkeypatch.setattr(intake_files, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    real = intake_files._intake
    victim = next(p.name for p in inp.iterdir() if p.name.startswith(THO_THANH))
    parent = os.getpid()

    def reading(path, *args):
        if path.name == victim and os.getpid() != parent:
            os._exit(9)  # the worker process dies, as when the system kills it
        return real(path, *args)

    monkeypatch.setattr(intake_files, "_intake", reading)
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    status = _status(run)
    assert status[THO_THANH] == UnitStatus.ERROR
    assert sum(s == UnitStatus.OK for s in status.values()) == len(status) - 1
    assert list(found.loc[found["file"] == victim, "code"]) == ["file-crashed"]


def test_unreadable_file_is_a_finding_for_its_unit(inp, tmp_path, mode, monkeypatch):
    """No read permission. Tests may run as root, who can read any file: there the refusal of the
    operating system is simulated at ``Path.open``/``stat``; otherwise chmod 000 is the real thing."""
    victim = next(p for p in inp.iterdir() if p.name.startswith(THO_THANH))
    victim.chmod(0)
    if os.geteuid() == 0:
        real_open = pathlib.Path.open

        def guarded_open(self, *args, **kwargs):
            if self.name == victim.name:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "open", guarded_open)
    try:
        code, run, found = _consolidate(inp, tmp_path / "out")
    finally:
        victim.chmod(0o644)
    assert code == 0
    assert _status(run)[THO_THANH] == UnitStatus.ERROR
    row = found[found["file"] == victim.name].iloc[0]
    assert row["code"] == "file-unreadable" and "Permission" not in row["message"]
    assert "Permission" in row["detail"]


def test_unreadable_subfolder_is_a_finding_never_chua_nop(inp, tmp_path, monkeypatch):
    """A sub-folder that cannot be listed (simulated at ``os.scandir`` when running as root)."""
    folder = inp / "15652_ThoThanh"
    folder.mkdir()
    victim = next(p for p in inp.iterdir() if p.name.startswith(THO_THANH + "_ThoThanh_"))
    victim.rename(folder / victim.name)
    folder.chmod(0)
    if os.geteuid() == 0:
        real_scandir = os.scandir

        def guarded(path="."):
            if not isinstance(path, int) and os.fspath(path) == str(folder):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", guarded)
    try:
        code, run, found = _consolidate(inp, tmp_path / "out")
    finally:
        folder.chmod(0o755)
    assert code == 0
    assert _status(run)[THO_THANH] == UnitStatus.ERROR
    assert list(found.loc[found["file"] == "15652_ThoThanh", "code"]) == ["folder-unreadable"]


def test_fifo_and_broken_link_named_xlsx_are_findings(inp, tmp_path):
    foreign.fifo(inp / "15652_ThoThanh_ong.xlsx")
    foreign.broken_link(inp / "lien_ket_hong.xlsx")
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    codes = dict(zip(found["file"], found["code"]))
    assert codes["15652_ThoThanh_ong.xlsx"] == "file-not-regular"
    assert codes["lien_ket_hong.xlsx"] == "file-not-regular"
    assert any(f["file"] == "lien_ket_hong.xlsx" for f in run["files_seen"])


def test_tall_sheet_is_refused_before_it_is_loaded(inp, tmp_path, monkeypatch):
    foreign.tall_sheet(inp / "15652_ThoThanh_dai.xlsx")
    loaded = []
    real = python_calamine.CalamineWorkbook.from_path

    def spy(path, *args, **kwargs):
        loaded.append(os.path.basename(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", spy)
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    row = found[found["file"] == "15652_ThoThanh_dai.xlsx"].iloc[0]
    assert row["code"] == "file-too-large"
    assert "65.535" in row["message"]
    assert "15652_ThoThanh_dai.xlsx" not in loaded


def test_zip_directory_that_lies_about_sizes_is_refused(inp, tmp_path, tho_thanh):
    foreign.lying_zip(tho_thanh, inp / "15652_ThoThanh_bom.xlsx")
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    row = found[found["file"] == "15652_ThoThanh_bom.xlsx"].iloc[0]
    assert row["code"] == "file-corrupt" and row["detail"]


def test_password_protected_xlsx_is_refused_as_encrypted(inp, tmp_path):
    """An .xlsx encrypted with a password the way Excel does (Agile encryption, made here with
    msoffcrypto-tool): an OLE container named .xlsx."""
    from msoffcrypto.format.ooxml import OOXMLFile

    victim = next(p for p in inp.iterdir() if p.name.startswith(THO_THANH))
    plain = victim.read_bytes()
    with victim.open("rb") as src, (tmp_path / "enc.xlsx").open("wb") as dst:
        OOXMLFile(src).encrypt("matkhau", dst)
    victim.write_bytes((tmp_path / "enc.xlsx").read_bytes())
    assert victim.read_bytes() != plain
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    assert _status(run)[THO_THANH] == UnitStatus.ERROR
    assert list(found.loc[found["file"] == victim.name, "code"]) == ["file-encrypted"]


def test_panicking_file_among_48_workbooks_in_the_real_parallel_mode(tmp_path, samples):
    """As reported: with at least ``PARALLEL_MIN_FILES`` workbooks the panic used to come back from
    a worker as a PicklingError and end the run. No threshold is lowered here."""
    inp = tmp_path / "input"
    copies = -(-intake_files.PARALLEL_MIN_FILES // len(samples))
    for i in range(copies):
        folder = inp / f"dot_{i + 1}"
        folder.mkdir(parents=True)
        for p in samples:
            shutil.copy2(p, folder / p.name)
    foreign.root_workbook(inp / "bang_tinh_la.xlsx")
    assert len(list(inp.rglob("*.xlsx"))) > intake_files.PARALLEL_MIN_FILES
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    assert not {UnitStatus.ERROR, UnitStatus.MISSING} & set(_status(run).values())
    assert (found.loc[found["file"] == "bang_tinh_la.xlsx", "level"] == "Lỗi").any()


def test_formatting_far_down_a_sheet_is_not_a_tall_sheet(inp, tmp_path):
    """Excel's declared dimension grows with formatting alone; only rows holding values count."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    victim = next(p for p in inp.iterdir() if p.name.startswith(THO_THANH))
    book = load_workbook(victim)
    book["Chỉ tiêu chủ yếu"]["H9000"].fill = PatternFill("solid", fgColor="FFFF00")
    book.save(victim)
    code, run, found = _consolidate(inp, tmp_path / "out")
    assert code == 0
    assert "file-too-large" not in set(found["code"])
    assert _status(run)[THO_THANH] != UnitStatus.ERROR
