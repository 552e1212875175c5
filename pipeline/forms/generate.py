"""`make templates` and the bundled samples: which workbooks to write, and where."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.annexes import load_annexes
from pipeline.config.paths import SAMPLES_DIR, TEMPLATES_DIR
from pipeline.config.registry import Unit
from pipeline.config.settings import Settings
from pipeline.forms.samples import sample_data
from pipeline.forms.template import WorkbookContext, write_workbook
from pipeline.text.names import ascii_name

if TYPE_CHECKING:
    from pipeline.archive.prefill import Prefill




def context(settings: Settings, unit: Unit | None, *, sample: bool = False) -> WorkbookContext:
    registry = settings.registry
    return WorkbookContext(
        period=settings.period,
        district=registry.name if registry.level == "huyen" else "",
        province=registry.province_name,
        region=settings.region,
        unit=unit,
        parent=registry.name,
        deadline=settings.deadline,
        office=settings.office,
        sample=sample,
    )


def unit_file_name(unit: Unit, period: str) -> str:
    """ASCII file name a commune can e-mail: ``15652_ThoThanh_2024-H1.xlsx``."""
    return f"{unit.code}_{ascii_name(unit.short_name)}_{period}.xlsx"


def blank_file_name(period: str) -> str:
    return f"BieuMau_NTM_{period}_Trong.xlsx"


def generate_templates(settings: Settings, outdir: Path = TEMPLATES_DIR,
                       progress: Callable[[Iterable], Iterable] = iter,
                       prefill: Mapping[str, Prefill] | None = None) -> list[Path]:
    """The blank template and one pre-filled copy per unit of the registry; ``prefill`` (from the
    archive, pipeline.archive.prefill) adds a unit's figures carried from earlier reports."""
    annexes = load_annexes()
    period = str(settings.period)
    folder = Path(outdir) / period
    written = [write_workbook(folder / blank_file_name(period), annexes, context(settings, None))]
    prefill = prefill or {}
    for unit in progress(settings.registry.units):
        ctx, data = context(settings, unit), None
        if unit.code in prefill:
            fill = prefill[unit.code]
            ctx = replace(ctx, prefilled=frozenset(fill.cells), prefilled_note=fill.note)
            data = fill.data
        written.append(write_workbook(folder / unit_file_name(unit, period), annexes, ctx, data))
    return written


def generate_samples(settings: Settings, outdir: Path = SAMPLES_DIR,
                     progress: Callable[[Iterable], Iterable] = iter) -> list[Path]:
    """Filled workbooks for every unit (Thọ Thanh from the seed report), the same every run."""
    annexes = load_annexes()
    period = str(settings.period)
    folder = Path(outdir) / period
    written = []
    for unit in progress(settings.registry.units):
        data = sample_data(unit, annexes, settings.region)
        written.append(write_workbook(folder / unit_file_name(unit, period), annexes,
                                      context(settings, unit, sample=True), data))
    return written
