"""The facts of the district's narrative report, computed once from the run and its district tables.

``narrative_facts(result, district)`` gathers what the report's sentences say: how many communes are
in each criteria band and which, the average criteria per commune and its change since 31/12 last
year, criteria gained and lost, villages, funds by source against the annual plan, disbursement,
debt, OCOP, key indicators, the communes' component results and their texts (leadership work,
difficulties, causes, proposals, plans) grouped by commune.

Every figure the summary workbook also shows is taken from the same ``Table`` (its footer values or
rows), so the report and the workbook cannot disagree. The few the workbook does not show (the
annual plan of funds, each criterion's status at 31/12 last year) are computed here from the run's
usable cells, the same way the district tables compute theirs. The writer
(``pipeline.outputs.narrative``) only renders these facts into sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from pipeline.annexes import Annex, load_annexes
from pipeline.annexes.compute import compute_fixed_many
from pipeline.annexes.formulas import AllMet
from pipeline.annexes.model import MET
from pipeline.config.period import Period
from pipeline.core.states import UnitStatus
from pipeline.core.values import ERROR_MARK, is_blank, is_number
from pipeline.district.table import Average, CountOf, Sum, Table, Weighted
from pipeline.district.tables import (
    CURRENT, NOT_FILLED, NOT_USED, PREVIOUS, CriteriaSummary, District,
)
from pipeline.result import RunResult
from pipeline.text.fold import fold
from pipeline.text.names import split_unit_prefix, strip_unit_prefix

__all__ = ["NarrativeFacts", "narrative_facts", "TOPICS"]

#: Topics of the communes' own texts the report gathers, in the order a label is tried, each with
#: the words (folded) that mark a text field of that topic in any annex. A field added to an annex
#: (a row of a key/value or fixed annex, or a text column of a list annex) whose label carries one of
#: these words is gathered without a change here.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("causes", ("nguyen nhan",)),
    ("proposals", ("kien nghi", "de xuat", "de nghi")),
    ("difficulties", ("kho khan", "han che", "ton tai", "vuong mac")),
    ("leadership", ("lanh dao", "chi dao", "van ban", "ban chi dao", "tuyen truyen", "kien toan")),
    ("plans", ("phuong huong", "nhiem vu", "muc tieu ky toi", "ke hoach ky toi")),
)
#: Annexes whose text columns are read for their own section (components; criteria plans), or
#: never hold narrative text.
_NOT_TOPICAL = {"PB01", "PB02", "PB09"}
_NOTE_TITLES = {"ghi chu"}
#: PB04: the annual plan column (the district tables show only the realised columns).
PLAN = "ke_hoach"
#: PB08: the rows counting the outreach meetings and their attendance.
OUTREACH_ROWS = ("1", "2")
#: PB01: the column holding a criterion's plan for the next period.
CRITERION_PLAN = "ke_hoach"


# The facts (plain data)


@dataclass
class Coverage:
    """Which units the report covers."""

    total: int
    #: Names of units whose data is used, in registry order.
    used: list[str]
    #: Units that sent nothing.
    missing: list[str]
    #: Units whose file could not be used at all (wrong period, unknown template …).
    refused: list[str]
    #: Used units with at least one value left out because of a Lỗi.
    partial: list[str]


@dataclass
class Band:
    label: str
    low: int
    units: list[str]


@dataclass
class CriterionChange:
    unit: str
    criteria: list[str]


@dataclass
class CriteriaFacts:
    """One criteria set (TH01 NTM, TH02 NTM nâng cao)."""

    code: str
    #: Number of criteria of the set (19).
    total: int
    #: Units whose assessment is shown (have data), registry order.
    assessed: list[str]
    #: Used units that left the annex empty.
    not_filled: list[str]
    #: Units not shown because their file is missing or refused (see Coverage).
    bands: list[Band]
    #: Average criteria met per assessed commune, now and at 31/12 last year (TH0x footer).
    average: float | None
    average_previous: float | None
    gained: list[CriterionChange]
    lost: list[CriterionChange]
    #: Units where some criterion could not be judged (an indicator had a Lỗi).
    undetermined: list[str]
    #: (criterion code, name, communes meeting it), from the TH0x footer, in catalogue order.
    met_by: list[tuple[str, str, int]]
    #: Per unit with a plan, (criterion title, plan text) from the "Kế hoạch kỳ tới" column.
    plans: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    @property
    def full(self) -> Band:
        return self.bands[0]


@dataclass
class VillageFacts:
    villages: int | float
    ntm: int | float
    ntm_rate: float | str
    model: int | float
    model_rate: float | str
    #: (unit, "Thôn 3 (2023); …") for units with model villages.
    model_by_unit: list[tuple[str, str]]
    #: (unit, "Quý IV/2024: Thôn 1, …") for units planning more.
    planned_by_unit: list[tuple[str, str]]
    partial: list[str]


@dataclass
class FundSource:
    label: str
    value: float
    share: float | str


@dataclass
class FundFacts:
    column: str
    total: float
    sources: list[FundSource]
    plan: float
    #: Realised since the start of the year, as % of the annual plan ("" without a plan).
    of_plan: float | str
    workdays: float
    workdays_unit: str
    partial: list[str]


@dataclass
class DisbursementFacts:
    works: int
    plan: float
    disbursed: float
    rate: float | str
    #: (source, plan, disbursed) per source of capital.
    by_source: list[tuple[str, float, float]]
    units: list[str]
    partial: list[str]


@dataclass
class DebtFacts:
    works: int
    opening: float
    settled: float
    closing: float
    units: list[str]
    partial: list[str]


@dataclass
class OcopFacts:
    total: int
    #: (stars, products) from the lowest rank up.
    by_stars: list[tuple[int, int]]
    #: Products recognised in the report's year.
    new_this_year: int
    #: (unit, [product (n sao)]) per unit with products.
    by_unit: list[tuple[str, list[str]]]
    partial: list[str]


@dataclass
class Indicator:
    code: str
    label: str
    unit: str
    value: object
    #: "sum" (a count, summed) or "weighted" (a rate or income, weighted by households/population).
    aggregate: str


@dataclass
class ComponentFacts:
    label: str
    #: (unit, text) of units that reported a result.
    results: list[tuple[str, str]]
    not_applicable: list[str]
    spent: object


@dataclass
class NarrativeFacts:
    place: str              # "Thường Xuân"
    scope: str              # "huyện" / "tỉnh"
    registry_name: str      # "Huyện Thường Xuân"
    #: The People's Committee named inside a sentence: "UBND huyện Thường Xuân".
    issuer: str
    authority: str
    office: str
    signer_title: str
    signer_name: str
    period: Period
    next_period_label: str
    used_samples: bool
    coverage: Coverage
    criteria: list[CriteriaFacts]
    villages: VillageFacts
    funds: FundFacts
    disbursement: DisbursementFacts
    debt: DebtFacts
    ocop: OcopFacts
    indicators: list[Indicator]
    #: Units with an indicator (or its weight) left out because of a Lỗi.
    indicators_partial: list[str]
    #: The meetings held and the attendance (PB08 rows ``OUTREACH_ROWS``), None where absent.
    outreach: tuple[Indicator | None, Indicator | None]
    components: list[ComponentFacts]
    #: Topic → [(unit, [texts])], topics as in ``TOPICS``.
    texts: dict[str, list[tuple[str, list[str]]]]


# Building them


def narrative_facts(result: RunResult, district: District) -> NarrativeFacts:
    """Every fact the narrative report states, from the run and its finished district tables."""
    settings = result.settings
    annexes = load_annexes()
    names = {u.code: u.name for u in settings.registry.units}
    used_cells = _usable_cells(result, annexes)
    indicators = _indicators(district.indicators, annexes)
    return NarrativeFacts(
        place=strip_unit_prefix(settings.registry.name),
        scope="huyện" if settings.registry.level == "huyen" else "tỉnh",
        registry_name=settings.registry.name,
        issuer=f"UBND {_in_sentence(settings.registry.name)}",
        authority=settings.authority,
        office=settings.office,
        signer_title=settings.signer_title,
        signer_name=settings.signer_name,
        period=result.period,
        next_period_label=_next_label(result.period),
        used_samples=result.used_samples,
        coverage=_coverage(result, district),
        criteria=[_criteria(s, annexes, used_cells, names) for s in district.criteria],
        villages=_villages(district.villages),
        funds=_funds(district, annexes, used_cells),
        disbursement=_disbursement(district.disbursement),
        debt=_debt(district.debt),
        ocop=_ocop(district, result.period),
        indicators=indicators,
        indicators_partial=_partial(district.indicators),
        outreach=tuple(next((i for i in indicators if i.code == code), None)
                       for code in OUTREACH_ROWS),
        components=_components(district.components),
        texts=_texts(annexes, used_cells, names),
    )


def _in_sentence(name: str) -> str:
    """"Huyện Thường Xuân" → "huyện Thường Xuân"."""
    kind, rest = split_unit_prefix(name)
    return f"{kind.lower()} {rest}" if kind else name


def _next_label(period: Period) -> str:
    if period.half == 1:
        return Period(period.year, 2).label
    return Period(period.year + 1, None).label


def _usable_cells(result: RunResult, annexes: Mapping[str, Annex]) -> pd.DataFrame:
    """The usable cells this module reads itself (criteria assessments and plans, the PB04 plan,
    topical texts), of the files the run uses and registry units only: masks first, then one
    small copy (a province's run holds millions of cells)."""
    cells, units = result.cells, result.units
    if cells.empty or units.empty:
        return cells.iloc[:0]
    wanted = {CURRENT, PREVIOUS, CRITERION_PLAN, PLAN} | {c for _a, _r, c in _text_fields(annexes)}
    used_files = set(units.loc[units["usable"].astype(bool), "file"])
    codes = {u.code for u in result.settings.registry.units}
    keep = (cells["column"].isin(wanted).to_numpy() & cells["usable"].to_numpy(dtype=bool)
            & cells["file"].isin(used_files).to_numpy() & cells["unit_code"].isin(codes).to_numpy())
    columns = ["unit_code", "annex", "row_code", "column", "value", "number"]
    return pd.DataFrame({c: cells[c].to_numpy()[keep] for c in columns})


def _labels(table: Table, mask: Iterable[bool]) -> list[str]:
    return [str(label) for label, keep in zip(table.rows["label"], mask) if keep]


def _partial(table: Table) -> list[str]:
    """Shown units with a value left out because of a Lỗi (their row's note names the cells)."""
    if "note" not in table.rows:
        return []
    return _labels(table, [(s == "" and not is_blank(n))
                           for s, n in zip(table.rows["state"], table.rows["note"])])


def _coverage(result: RunResult, district: District) -> Coverage:
    rows = district.status.rows
    registry = {u.code for u in result.settings.registry.units}
    status = district.villages.rows["state"]  # any per-unit table: "" or why the unit is not shown
    names = list(district.villages.rows["label"])
    errors = set()
    if len(rows):
        errors = {str(n) for c, n, s in zip(rows["ma"], rows["label"], rows["tinh_trang"])
                  if c in registry and s == UnitStatus.ERROR}
    used = [n for n, s in zip(names, status) if s == ""]
    return Coverage(
        total=len(result.settings.registry.units),
        used=used,
        missing=[n for n, s in zip(names, status) if s == UnitStatus.MISSING],
        refused=[n for n, s in zip(names, status) if s == NOT_USED],
        partial=[n for n in used if n in errors],
    )


def _criteria(summary: CriteriaSummary, annexes: Mapping[str, Annex], cells: pd.DataFrame,
              names: Mapping[str, str]) -> CriteriaFacts:
    table = summary.table
    rows = table.rows
    annex = next(a for a in annexes.values() if a.district_sheet == table.code)
    shown = rows["state"] == ""
    criteria = [r for r in annex.rows if isinstance(r.formulas.get(CURRENT), AllMet)]
    keys = [f"tc_{r.code}" for r in criteria]  # TH0x's column of each criterion
    bands, lows = [], _band_lows(summary)
    for (label, _count, _names), low in zip(summary.bands, lows):
        bands.append(Band(label, low, _labels(table, shown & (rows[summary.band_key] == label))))
    averages = _footer(table, summary.count_key, Average)
    met_by = _footer(table, keys[0], CountOf) if keys else {}
    marked = rows[keys].eq(ERROR_MARK).any(axis=1) if keys else shown & False
    undetermined = _labels(table, shown & marked)
    gained, lost = _changes(annex, cells, [c for c, s in zip(rows.index, shown) if s], names)
    return CriteriaFacts(
        code=table.code, total=summary.criteria,
        assessed=_labels(table, shown),
        not_filled=_labels(table, rows["state"] == NOT_FILLED),
        bands=bands,
        average=_number_or_none(averages.get(summary.count_key)),
        average_previous=_number_or_none(averages.get("so_tc_truoc")),
        gained=gained, lost=lost, undetermined=undetermined,
        met_by=[(r.code, _name(r.label), int(met_by.get(k) or 0)) for k, r in zip(keys, criteria)],
        plans=_criterion_plans(annex, cells, names),
    )


def _band_lows(summary: CriteriaSummary) -> list[int]:
    """Lowest count of each band, from the band labels' numbers ("15–18 tiêu chí" → 15)."""
    lows = []
    for label, _count, _names in summary.bands:
        digits = "".join(ch if ch.isdigit() else " " for ch in label).split()
        lows.append(int(digits[0]) if digits and not fold(label).startswith("duoi") else 0)
    return lows


def _footer(table: Table, key: str, kind) -> dict[str, object]:
    """The values of the first footer of ``table`` whose total of ``key`` is a ``kind`` (the
    district total, the average …): found by what it computes, not by its position."""
    for footer, values in zip(table.footers, table.footer_values):
        if isinstance(footer.totals.get(key), kind):
            return values
    return {}


def _number_or_none(value: object) -> float | None:
    return float(value) if is_number(value) else None


def _changes(annex: Annex, cells: pd.DataFrame, units: list[str], names: Mapping[str, str]
             ) -> tuple[list[CriterionChange], list[CriterionChange]]:
    """Per shown unit: criteria met now but not at 31/12 last year, and the reverse.

    Each criterion's status in both columns is evaluated from the indicators, as TH01 does; a unit
    without a previous assessment has no change to report.
    """
    criteria = [r for r in annex.rows if isinstance(r.formulas.get(CURRENT), AllMet)]
    mine = cells[(cells["annex"] == annex.code).to_numpy()
                 & cells["column"].isin([CURRENT, PREVIOUS]).to_numpy()
                 & cells["unit_code"].isin(units).to_numpy()]
    if mine.empty or not criteria:
        return [], []
    index = pd.Index([u for u in units if u in set(mine["unit_code"])], name="unit_code")
    last = mine.drop_duplicates(["unit_code", "row_code", "column"], keep="last")
    wide = {col: g.pivot(index="unit_code", columns="row_code", values="value").reindex(index)
            for col, g in last.groupby("column")}
    computed = compute_fixed_many(annex, wide, index)
    gained, lost = [], []
    for unit in index:
        up, down = [], []
        for row in criteria:
            before, now = computed[(row.code, PREVIOUS)][unit], computed[(row.code, CURRENT)][unit]
            if before in ("", None) or now in ("", None):
                continue
            if now == MET and before != MET:
                up.append(_short(row.label, row.code))
            elif before == MET and now != MET:
                down.append(_short(row.label, row.code))
        if up:
            gained.append(CriterionChange(names.get(unit, unit), up))
        if down:
            lost.append(CriterionChange(names.get(unit, unit), down))
    return gained, lost


def _name(label: str) -> str:
    """'Tiêu chí 2: Giao thông' → 'Giao thông'."""
    return label.split(": ", 1)[1] if ": " in label else label


def _short(label: str, code: str) -> str:
    """'Tiêu chí 2: Giao thông' → 'số 2 (Giao thông)'."""
    return f"số {code} ({_name(label)})"


def _criterion_plans(annex: Annex, cells: pd.DataFrame, names: Mapping[str, str]
                     ) -> list[tuple[str, list[tuple[str, str]]]]:
    criteria = {r.code: _short(r.label, r.code) for r in annex.rows
                if isinstance(r.formulas.get(CURRENT), AllMet)}
    mine = cells[(cells["annex"] == annex.code).to_numpy()
                 & (cells["column"] == CRITERION_PLAN).to_numpy()
                 & cells["row_code"].isin(list(criteria)).to_numpy()]
    out: dict[str, list[tuple[str, str]]] = {}
    for unit, row, value in zip(mine["unit_code"], mine["row_code"], mine["value"]):
        if not is_blank(value) and str(value).strip():
            out.setdefault(unit, []).append((criteria[row], str(value).strip()))
    return [(names.get(u, u), out[u]) for u in names if u in out]


def _villages(table: Table) -> VillageFacts:
    total = _footer(table, "so_thon", Sum)
    rows = table.rows[table.active]
    return VillageFacts(
        villages=total.get("so_thon") or 0, ntm=total.get("dat_ntm") or 0,
        ntm_rate=total.get("ty_le_ntm", ""), model=total.get("kieu_mau") or 0,
        model_rate=total.get("ty_le_kieu_mau", ""),
        model_by_unit=[(str(n), str(v)) for n, v in zip(rows["label"], rows["ds_kieu_mau"])
                       if not is_blank(v)],
        planned_by_unit=[(str(n), str(v)) for n, v in zip(rows["label"], rows["du_kien"])
                         if not is_blank(v)],
        partial=_partial(table),
    )


def _funds(district: District, annexes: Mapping[str, Annex], cells: pd.DataFrame) -> FundFacts:
    funds = district.funds
    # The year-to-date column is what the annual plan is compared with.
    index = next((i for i, t in enumerate(funds.titles) if fold(t).startswith("luy ke")),
                 len(funds.tables) - 1)
    table = funds.tables[index]
    values = _footer(table, funds.total_key, Sum)
    total = float(values.get(funds.total_key) or 0)
    sources = []
    for label, keys in funds.sources:
        value = float(sum(values.get(k) or 0 for k in keys))
        # As the summary's "Cơ cấu nguồn vốn" block: share rounded to one decimal.
        sources.append(FundSource(label, value, round(value / total * 100 + 1e-9, 1) if total else ""))
    annex = next(a for a in annexes.values() if a.district_sheet == table.code)
    leaves = [k for _l, keys in funds.sources for k in keys]
    plan_cells = cells[(cells["annex"] == annex.code).to_numpy()
                       & (cells["column"] == PLAN).to_numpy()
                       & cells["row_code"].isin(leaves).to_numpy()]
    plan = float(pd.to_numeric(plan_cells["number"], errors="coerce").fillna(0).sum())
    others = [c for c in table.columns if c.key not in leaves and c.key not in (funds.total_key, "note")]
    workdays = others[0] if others else None
    return FundFacts(
        column=funds.titles[index], total=total, sources=sources, plan=plan,
        of_plan=round(total / plan * 100 + 1e-9, 1) if plan else "",
        workdays=float(values.get(workdays.key) or 0) if workdays else 0.0,
        workdays_unit="ngày công",
        partial=_partial(table),
    )


def _disbursement(table: Table) -> DisbursementFacts:
    total = _footer(table, "so_luong", Sum)
    by_source = []
    for col in table.columns:
        if col.key.startswith("ke_hoach|"):
            source = col.key.split("|", 1)[1]
            by_source.append((source, float(total.get(col.key) or 0),
                              float(total.get(f"giai_ngan|{source}") or 0)))
    rows = table.rows[table.active]
    return DisbursementFacts(
        works=int(total.get("so_luong") or 0), plan=float(total.get("ke_hoach") or 0),
        disbursed=float(total.get("giai_ngan") or 0), rate=total.get("ty_le", ""),
        by_source=by_source,
        units=[str(n) for n, k in zip(rows["label"], rows["so_luong"]) if is_number(k) and k > 0],
        partial=_partial(table),
    )


def _debt(table: Table) -> DebtFacts:
    total = _footer(table, "so_luong", Sum)
    rows = table.rows[table.active]
    return DebtFacts(
        works=int(total.get("so_luong") or 0), opening=float(total.get("no_dau_ky") or 0),
        settled=float(total.get("da_xu_ly") or 0), closing=float(total.get("no_cuoi_ky") or 0),
        units=[str(n) for n, k in zip(rows["label"], rows["no_cuoi_ky"]) if is_number(k) and k > 0],
        partial=_partial(table),
    )


def _ocop(district: District, period: Period) -> OcopFacts:
    ocop = district.ocop
    total = _footer(ocop.stars, "tong", Sum)
    products = ocop.products.rows
    by_unit: dict[str, list[str]] = {}
    new = 0
    for rec in products.to_dict("records"):
        name, stars = rec.get("ten"), rec.get(ocop.star_key)
        if is_blank(name):
            continue
        star_text = f" ({int(stars)} sao)" if is_number(stars) else ""
        by_unit.setdefault(str(rec["label"]), []).append(f"{name}{star_text}")
        if is_number(rec.get("nam_cong_nhan")) and int(rec["nam_cong_nhan"]) == period.year:
            new += 1
    return OcopFacts(
        total=int(total.get("tong") or 0),
        by_stars=[(s, int(total.get(k) or 0)) for k, s in ocop.star_of.items()],
        new_this_year=new, by_unit=list(by_unit.items()),
        partial=_partial(ocop.stars),
    )


def _indicators(table: Table, annexes: Mapping[str, Annex]) -> list[Indicator]:
    annex = next(a for a in annexes.values() if a.district_sheet == table.code)
    out = []
    for row in annex.rows:
        total = _footer(table, row.code, (Sum, Weighted))
        if row.aggregate in ("sum", "weighted") and row.code in total:
            out.append(Indicator(row.code, row.label, row.unit, total[row.code], row.aggregate))
    return out


def _components(table: Table) -> list[ComponentFacts]:
    rows = table.rows
    out = []
    for section, part in rows.groupby("section", sort=False):
        shown = part[part["state"] == ""]
        not_applicable = [str(n) for n, a in zip(shown["label"], shown["ap_dung"])
                          if isinstance(a, str) and fold(a).startswith("khong")]
        results = [(str(n), str(t).strip()) for n, t in zip(shown["label"], shown["ket_qua"])
                   if not is_blank(t) and t != ERROR_MARK and str(t).strip()
                   and str(n) not in not_applicable]
        spent = table.section_values.get(section, {}).get("kinh_phi", "")
        out.append(ComponentFacts(str(section), results, not_applicable, spent))
    return out


def topic_of(label: str) -> str | None:
    """The topic of a text field, from its label ("Khó khăn, vướng mắc" → "difficulties")."""
    key = fold(label)
    for topic, words in TOPICS:
        if any(w in key for w in words):
            return topic
    return None


def _text_fields(annexes: Mapping[str, Annex]) -> dict[tuple[str, str | None, str], str]:
    """(annex, row code or None for any row, column) → topic, for every topical text field."""
    fields: dict[tuple[str, str | None, str], str] = {}
    for annex in annexes.values():
        if annex.code in _NOT_TOPICAL:
            continue
        if annex.kind == "list":
            for col in annex.input_columns:
                topic = topic_of(col.title)
                if col.kind == "text" and topic and fold(col.title) not in _NOTE_TITLES:
                    fields[(annex.code, None, col.key)] = topic
            continue
        for row in annex.rows:
            topic = topic_of(row.label)
            for col in annex.row_inputs(row) if topic else ():
                if annex.cell_kind(row, col) == "text" and fold(col.title) not in _NOTE_TITLES:
                    fields[(annex.code, row.code, col.key)] = topic
    return fields


def _texts(annexes: Mapping[str, Annex], cells: pd.DataFrame, names: Mapping[str, str]
           ) -> dict[str, list[tuple[str, list[str]]]]:
    """The communes' texts per topic, grouped by commune in registry order."""
    fields = _text_fields(annexes)
    found: dict[str, dict[str, list[str]]] = {topic: {} for topic, _w in TOPICS}
    if fields and not cells.empty:
        wanted = {a for a, _r, _c in fields}
        part = cells[cells["annex"].isin(wanted).to_numpy()]
        for unit, annex, row, column, value in zip(part["unit_code"], part["annex"],
                                                   part["row_code"], part["column"], part["value"]):
            topic = fields.get((annex, row, column)) or fields.get((annex, None, column))
            if topic and isinstance(value, str) and value.strip():
                found[topic].setdefault(unit, []).append(value.strip())
    return {topic: [(names[u], by_unit[u]) for u in names if u in by_unit]
            for topic, by_unit in found.items()}
