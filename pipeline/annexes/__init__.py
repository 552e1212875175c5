"""The annex registry: every annex of the commune workbook, in workbook order."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pipeline.annexes import pb03, pb04, pb05, pb06, pb07, pb08, pb09, pb10, pb11, tt
from pipeline.annexes.catalogue import DEFAULT_CATALOGUES, load_catalogue
from pipeline.annexes.criteria import criteria_annex
from pipeline.annexes.model import Annex, Column, Row
from pipeline.config.paths import CATALOGUE_DIR

__all__ = ["Annex", "Column", "Row", "load_annexes"]


@lru_cache(maxsize=4)
def load_annexes(directory: Path | None = None) -> dict[str, Annex]:
    """All annexes by code; PB01/PB02 are built from the criteria catalogues in ``directory``."""
    folder = Path(directory) if directory else CATALOGUE_DIR
    pb01 = criteria_annex("PB01", load_catalogue(folder / DEFAULT_CATALOGUES["PB01"]), nang_cao=False)
    pb02 = criteria_annex("PB02", load_catalogue(folder / DEFAULT_CATALOGUES["PB02"]), nang_cao=True)
    annexes = (tt.ANNEX, pb01, pb02, pb03.ANNEX, pb04.ANNEX, pb05.ANNEX, pb06.ANNEX, pb07.ANNEX,
               pb08.ANNEX, pb09.ANNEX, pb10.ANNEX, pb11.ANNEX)
    by_code = {a.code: a for a in annexes}
    return {code: _resolve_links(a, by_code) for code, a in by_code.items()}


def _resolve_links(annex: Annex, by_code: dict[str, Annex]) -> Annex:
    """Drop a link whose target is not a cell the commune types (a catalogue without that
    indicator): the cell is then typed where it is."""
    def typed(link) -> bool:
        target = by_code.get(link.annex)
        if target is None or link.row not in {r.code for r in target.rows}:
            return False
        return link.column in {c.key for c in target.row_inputs(target.row(link.row))}

    rows = tuple(replace(r, links={k: v for k, v in r.links.items() if typed(v)})
                 if r.links and not all(typed(v) for v in r.links.values()) else r
                 for r in annex.rows)
    return annex if rows == annex.rows else replace(annex, rows=rows)
