"""Synthetic filled workbooks at scale, from the real template, cached under bench/cache/.

Writing 10,040 workbooks with xlsxwriter takes minutes, so a few base workbooks are written through
``template.write_workbook`` (the code path of every commune workbook) for a placeholder unit, and
each unit's file is a copy whose shared strings carry that unit's code and name. Values differ by
base (eight seeded datasets); reading and validating costs the same as for real files.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline import TEMPLATE_VERSION
from pipeline.annexes import load_annexes
from pipeline.config.registry import Registry, Unit, _rows, _units_of, registry_for_district, registry_for_province
from pipeline.config.settings import Settings
from pipeline.forms.generate import context
from pipeline.forms.samples import synthetic_data
from pipeline.forms.template import write_workbook

CACHE = Path(__file__).resolve().parent / "cache"
BASES = 8
PLACEHOLDER = Unit("99990", "Xã Mẫu Chuẩn", "Mẫu Chuẩn", "Xã")


def national_registry() -> Registry:
    """Every commune-level unit before the 2025 reform (10,040), as one registry."""
    units = _units_of(list(_rows("legacy")))  # 10,035: five island districts have no commune
    return Registry(level="tinh", code="01", name="Toàn quốc", province_code="01",
                    province_name="Việt Nam", units=units, layout="legacy")


def registry_for(size: int) -> Registry:
    if size == 16:
        return registry_for_district("396")
    if size == 547:
        return registry_for_province("38", layout="legacy")
    if size == 10040:
        return national_registry()
    raise ValueError(size)


def _bases(settings: Settings, folder: Path) -> list[dict[str, bytes]]:
    annexes = load_annexes()
    bases = []
    for i in range(BASES):
        seed_unit = replace(PLACEHOLDER, code=str(15607 + 3 * i))
        data = synthetic_data(seed_unit, annexes, settings.region)
        path = write_workbook(folder / f"base{i}.xlsx", annexes, context(settings, PLACEHOLDER), data)
        with zipfile.ZipFile(path) as zf:
            bases.append({info.filename: zf.read(info) for info in zf.infolist()})
        path.unlink()
    return bases


def _patch(members: dict[str, bytes], unit: Unit) -> dict[str, bytes]:
    out = dict(members)
    swaps = [(PLACEHOLDER.code, unit.code), (PLACEHOLDER.name, unit.name),
             (PLACEHOLDER.name.upper(), unit.name.upper())]
    for name in ("xl/sharedStrings.xml", "docProps/core.xml", "docProps/custom.xml"):
        if name in out:
            text = out[name].decode("utf-8")
            for old, new in swaps:
                text = text.replace(escape(old), escape(new))
            out[name] = text.encode("utf-8")
    return out


def build(size: int, settings: Settings) -> tuple[Path, Settings]:
    """The folder of ``size`` filled workbooks (built once) and the settings to consolidate them."""
    registry = registry_for(size)
    bench_settings = replace(settings, registry=registry)
    # The template version is part of the name: files of an older template are not what a run of
    # this one reads (they would all be refused or flagged, and time something else).
    folder = CACHE / f"{size}_{settings.period}_{TEMPLATE_VERSION}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder, bench_settings
    folder.mkdir(parents=True, exist_ok=True)
    bases = _bases(bench_settings, folder)
    for i, unit in enumerate(registry.units):
        members = _patch(bases[i % BASES], unit)
        with zipfile.ZipFile(folder / f"{unit.code}.xlsx", "w", zipfile.ZIP_DEFLATED,
                             compresslevel=1) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    # The country has 10,035 communes in the list (five island districts have none): the rest of
    # the 10,040 files are units that sent their report twice, as happens.
    for i, unit in enumerate(registry.units[: max(0, size - len(registry.units))]):
        members = _patch(bases[(i + 1) % BASES], unit)
        with zipfile.ZipFile(folder / f"{unit.code}_gui_lai.xlsx", "w", zipfile.ZIP_DEFLATED,
                             compresslevel=1) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    stamp.write_text(str(size))
    return folder, bench_settings
