"""The facts of the district's narrative report, computed once from the run and its district tables.

``narrative_facts(result, district)`` gathers what the report's sentences say: how many communes are
in each criteria band and which, the average criteria per commune and its change since 31/12 last
year, criteria gained and lost, villages, funds by source against the annual plan, disbursement,
debt, OCOP, key indicators, the communes' component results and their texts (leadership work,
difficulties, causes, proposals, plans) grouped by commune.

Every figure and every commune text is taken from the ``Table`` of the summary workbook that shows
it (its footer values or rows: TH01/TH02 with the criteria gained and lost, TH03, TH04 with its plan
block, TH10 recognition, TH11 the communes' texts, TH12 their targets …), so the report and the
workbook cannot disagree: one computation, two renderings. The writer
(``pipeline.outputs.narrative``) only renders these facts into sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

import pandas as pd

from pipeline.annexes import Annex, load_annexes
from pipeline.annexes.formulas import AllMet
from pipeline.annexes.pb11 import SECTIONS, TEXT
from pipeline.config.period import Period
from pipeline.core.states import UnitStatus
from pipeline.core.values import ERROR_MARK, is_blank, is_number
from pipeline.district.table import Average, CountOf, Sum, Table, Weighted
from pipeline.district.tables import (
    CURRENT,
    NOT_FILLED,
    NOT_USED,
    CriteriaSummary,
    District,
    RecognitionSummary,
)
from pipeline.result import RunResult
from pipeline.text.fold import fold
from pipeline.text.names import split_unit_prefix, strip_unit_prefix

__all__ = ["NarrativeFacts", "narrative_facts", "SECTION_TOPICS", "text_items"]

#: PB11's sections (``pipeline.annexes.pb11.SECTIONS``) → the part of the report they feed: leadership
#: work (II.1), communication (II.2), highlights (IV.1), difficulties (IV.2), causes (IV.3) and
#: proposals (Phần thứ hai, 3). The texts are read from TH11, the district table of PB11.
SECTION_TOPICS: dict[str, str] = {
    "VB": "leadership", "BCD": "leadership", "TT": "outreach", "KQ": "highlights",
    "HC": "difficulties", "NN": "causes", "KN": "proposals",
}
#: Marks a commune puts before each item of a text written as a list.
_BULLETS = "-–—+•*·"
#: TH04's plan block (``comparisons.funds_against_plan``): the annual plan and the % reached.
PLAN, PLAN_RATE = "ke_hoach", "ty_le_kh"
#: TH08b's columns: the same period last year and the change against it.
LAST_YEAR, CHANGE = "cung_ky", "tang_giam"
#: PB08: the rows counting the outreach meetings and their attendance.
OUTREACH_ROWS = ("1", "2")


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
class RecognitionLevel:
    #: "NTM", "NTM nâng cao", "NTM kiểu mẫu".
    name: str
    #: Communes recognised at this level by a decision (TH10 "Năm công nhận" given).
    recognised: list[str]
    #: Communes to be proposed for it in the report's year (not yet recognised).
    proposed: list[str]


@dataclass
class RecognitionFacts:
    levels: list[RecognitionLevel]
    year: int
    partial: list[str]


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
    #: TH08b: the same period last year, the change against it, and % of the annual plan ("" when
    #: the communes gave no figure).
    last_year: object = ""
    change: object = ""
    of_plan: object = ""


@dataclass
class ComponentFacts:
    label: str
    #: (unit, [items of its text]) of units that reported a result.
    results: list[tuple[str, list[str]]]
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
    #: TH10: communes recognised at each level; None when the run has no TH10.
    recognition: RecognitionFacts | None
    disbursement: DisbursementFacts
    debt: DebtFacts
    ocop: OcopFacts
    indicators: list[Indicator]
    #: Units with an indicator (or its weight) left out because of a Lỗi.
    indicators_partial: list[str]
    #: The meetings held and the attendance (PB08 rows ``OUTREACH_ROWS``), None where absent.
    outreach: tuple[Indicator | None, Indicator | None]
    components: list[ComponentFacts]
    #: Topic → [(unit, [items])], topics as in ``SECTION_TOPICS`` (from TH11), a commune's text
    #: split into its items when written as a list.
    texts: dict[str, list[tuple[str, list[str]]]]


# Building them


def narrative_facts(result: RunResult, district: District) -> NarrativeFacts:
    """Every fact the narrative report states, from the run and its finished district tables."""
    settings = result.settings
    annexes = load_annexes()
    indicators = _indicators(district.indicators, annexes, district.indicator_comparison)
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
        criteria=[_criteria(s, annexes, district.targets) for s in district.criteria],
        recognition=_recognition(district.recognition),
        villages=_villages(district.villages),
        funds=_funds(district),
        disbursement=_disbursement(district.disbursement),
        debt=_debt(district.debt),
        ocop=_ocop(district, result.period),
        indicators=indicators,
        indicators_partial=_partial(district.indicators),
        outreach=(_indicator(indicators, OUTREACH_ROWS[0]), _indicator(indicators, OUTREACH_ROWS[1])),
        components=_components(district.components),
        texts=_texts(district.narrative),
    )


def _in_sentence(name: str) -> str:
    """"Huyện Thường Xuân" → "huyện Thường Xuân"."""
    kind, rest = split_unit_prefix(name)
    return f"{kind.lower()} {rest}" if kind else name


def _next_label(period: Period) -> str:
    if period.half == 1:
        return Period(period.year, 2).label
    return Period(period.year + 1, None).label


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


def _criteria(summary: CriteriaSummary, annexes: Mapping[str, Annex],
              targets: Table | None) -> CriteriaFacts:
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
    short = {r.code: _short(r.label, r.code) for r in criteria}
    gained, lost = (_changes(rows[shown], key, short) for key in ("tang", "giam"))
    return CriteriaFacts(
        code=table.code, total=summary.criteria,
        assessed=_labels(table, shown),
        not_filled=_labels(table, rows["state"] == NOT_FILLED),
        bands=bands,
        average=_number_or_none(averages.get(summary.count_key)),
        average_previous=_number_or_none(averages.get("so_tc_truoc")),
        gained=gained, lost=lost, undetermined=undetermined,
        met_by=[(r.code, _name(r.label), int(_amount(met_by, k))) for k, r in zip(keys, criteria)],
        plans=_criterion_plans(targets, annex, short),
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


def _indicator(indicators: Iterable[Indicator], code: str) -> Indicator | None:
    return next((i for i in indicators if i.code == code), None)


def _amount(values: Mapping[str, object], key: str) -> float:
    """A footer's count or sum (``tidy`` keeps whole numbers int), 0 when blank or missing."""
    return cast(float, values.get(key) or 0)


def _rate(values: Mapping[str, object], key: str) -> float | str:
    """A footer's ratio: a number, or "" when it cannot be computed."""
    return cast("float | str", values.get(key, ""))


def _number_or_blank(value: object) -> float | str:
    return float(value) if is_number(value) else ""


def _number_or_none(value: object) -> float | None:
    return float(value) if is_number(value) else None


def _name(label: str) -> str:
    """'Tiêu chí 2: Giao thông' → 'Giao thông'."""
    return label.split(": ", 1)[1] if ": " in label else label


def _short(label: str, code: str) -> str:
    """'Tiêu chí 2: Giao thông' → 'số 2 (Giao thông)'."""
    return f"số {code} ({_name(label)})"


def _changes(rows: pd.DataFrame, key: str, short: Mapping[str, str]) -> list[CriterionChange]:
    """TH01's "Đạt thêm" / "Không còn đạt" cells ("2, 3"), criterion by criterion named."""
    out = []
    for name, value in zip(rows["label"], rows[key]):
        codes = [c.strip() for c in str(value).split(",") if c.strip()] if not is_blank(value) else []
        if codes:
            out.append(CriterionChange(str(name), [short.get(c, f"số {c}") for c in codes]))
    return out


def _criterion_plans(targets: Table | None, annex: Annex, short: Mapping[str, str]
                     ) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each commune's "Kế hoạch kỳ tới" per criterion of ``annex``, as TH12 lists them."""
    if targets is None or targets.rows.empty:
        return []
    by_label = {r.label: short[r.code] for r in annex.rows if r.code in short}
    criteria_set = "NTM nâng cao" if annex.optional else "NTM"  # TH12's "Bộ tiêu chí"
    out: dict[str, list[tuple[str, str]]] = {}
    for unit, label, text, of_set in zip(targets.rows["section"], targets.rows["label"],
                                         targets.rows["ke_hoach"], targets.rows["bo"]):
        if (of_set == criteria_set and label in by_label and not is_blank(text)
                and str(text).strip()):
            out.setdefault(str(unit), []).append((by_label[label], str(text).strip()))
    return list(out.items())


def _villages(table: Table) -> VillageFacts:
    total = _footer(table, "so_thon", Sum)
    rows = table.rows[table.active]
    return VillageFacts(
        villages=_amount(total, "so_thon"), ntm=_amount(total, "dat_ntm"),
        ntm_rate=_rate(total, "ty_le_ntm"), model=_amount(total, "kieu_mau"),
        model_rate=_rate(total, "ty_le_kieu_mau"),
        model_by_unit=[(str(n), str(v)) for n, v in zip(rows["label"], rows["ds_kieu_mau"])
                       if not is_blank(v)],
        planned_by_unit=[(str(n), str(v)) for n, v in zip(rows["label"], rows["du_kien"])
                         if not is_blank(v)],
        partial=_partial(table),
    )


def _funds(district: District) -> FundFacts:
    funds = district.funds
    # The year-to-date column is what the annual plan is compared with.
    index = next((i for i, t in enumerate(funds.titles) if fold(t).startswith("luy ke")),
                 len(funds.tables) - 1)
    table = funds.tables[index]
    values = _footer(table, funds.total_key, Sum)
    total = float(_amount(values, funds.total_key))
    sources = []
    for label, keys in funds.sources:
        value = float(sum(_amount(values, k) for k in keys))
        # As the summary's "Cơ cấu nguồn vốn" block: share rounded to one decimal.
        sources.append(FundSource(label, value, round(value / total * 100 + 1e-9, 1) if total else ""))
    leaves = [k for _l, keys in funds.sources for k in keys]
    # The annual plan and the % reached: TH04's block "D. Tổng vốn huy động so với kế hoạch năm".
    against = _footer(funds.plan, PLAN, Sum) if funds.plan is not None else {}
    plan = float(_amount(against, PLAN))
    others = [c for c in table.columns if c.key not in leaves and c.key not in (funds.total_key, "note")]
    workdays = others[0] if others else None
    return FundFacts(
        column=funds.titles[index], total=total, sources=sources, plan=plan,
        of_plan=_number_or_blank(against.get(PLAN_RATE)) if plan else "",
        workdays=float(_amount(values, workdays.key)) if workdays else 0.0,
        workdays_unit="ngày công",
        partial=_partial(table),
    )


def _disbursement(table: Table) -> DisbursementFacts:
    total = _footer(table, "so_luong", Sum)
    by_source = []
    for col in table.columns:
        if col.key.startswith("ke_hoach|"):
            source = col.key.split("|", 1)[1]
            by_source.append((source, float(_amount(total, col.key)),
                              float(_amount(total, f"giai_ngan|{source}"))))
    rows = table.rows[table.active]
    return DisbursementFacts(
        works=int(_amount(total, "so_luong")), plan=float(_amount(total, "ke_hoach")),
        disbursed=float(_amount(total, "giai_ngan")), rate=_rate(total, "ty_le"),
        by_source=by_source,
        units=[str(n) for n, k in zip(rows["label"], rows["so_luong"]) if is_number(k) and k > 0],
        partial=_partial(table),
    )


def _debt(table: Table) -> DebtFacts:
    total = _footer(table, "so_luong", Sum)
    rows = table.rows[table.active]
    return DebtFacts(
        works=int(_amount(total, "so_luong")), opening=float(_amount(total, "no_dau_ky")),
        settled=float(_amount(total, "da_xu_ly")), closing=float(_amount(total, "no_cuoi_ky")),
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
        total=int(_amount(total, "tong")),
        by_stars=[(s, int(_amount(total, k))) for k, s in ocop.star_of.items()],
        new_this_year=new, by_unit=list(by_unit.items()),
        partial=_partial(ocop.stars),
    )


def _indicators(table: Table, annexes: Mapping[str, Annex], comparison: Table | None
                ) -> list[Indicator]:
    annex = next(a for a in annexes.values() if a.district_sheet == table.code)
    compared = ({str(r["label"]): r for r in comparison.rows.to_dict("records")}
                if comparison is not None else {})
    out = []
    for row in annex.rows:
        total = _footer(table, row.code, (Sum, Weighted))
        if row.aggregate in ("sum", "weighted") and row.code in total:
            other = compared.get(row.label, {})
            out.append(Indicator(row.code, row.label, row.unit, total[row.code], row.aggregate,
                                 last_year=other.get(LAST_YEAR, ""), change=other.get(CHANGE, ""),
                                 of_plan=other.get(PLAN_RATE, "")))
    return out


def _components(table: Table) -> list[ComponentFacts]:
    rows = table.rows
    out = []
    for section, part in rows.groupby("section", sort=False):
        shown = part[part["state"] == ""]
        not_applicable = [str(n) for n, a in zip(shown["label"], shown["ap_dung"])
                          if isinstance(a, str) and fold(a).startswith("khong")]
        results = [(str(n), text_items(t)) for n, t in zip(shown["label"], shown["ket_qua"])
                   if not is_blank(t) and t != ERROR_MARK and text_items(t)
                   and str(n) not in not_applicable]
        spent = table.section_values.get(section, {}).get("kinh_phi", "")
        out.append(ComponentFacts(str(section), results, not_applicable, spent))
    return out




def _recognition(summary: RecognitionSummary | None) -> RecognitionFacts | None:
    """TH10's communes by level: recognised (a decision year) and proposed in the report's year."""
    if summary is None:
        return None
    table = summary.table
    rows = table.rows[table.active]
    levels = []
    for (name, _count, _names, proposed), key in zip(summary.levels, summary.year_keys):
        recognised = [str(n) for n, y in zip(rows["label"], rows[key]) if is_number(y)]
        proposed_names = set(_split_names(proposed))
        levels.append(RecognitionLevel(name, recognised,
                                       [str(n) for n in rows["label"] if n in proposed_names]))
    return RecognitionFacts(levels, summary.year, _partial(table))


def _split_names(names: str) -> list[str]:
    return [n.strip() for n in str(names).split(",") if n.strip()]


def text_items(text: str) -> list[str]:
    """A commune's text as its items: one per line, the commune's own list marks ("- ", "+ ")
    dropped, so that the report lists them in its own style."""
    items = []
    for line in str(text).splitlines():
        line = " ".join(line.split()).lstrip(_BULLETS).strip()
        if line:
            items.append(line)
    return items


def _texts(table: Table | None) -> dict[str, list[tuple[str, list[str]]]]:
    """The communes' PB11 texts by topic (``SECTION_TOPICS``), grouped by commune in TH11's order
    (the registry's); a commune's sections of one topic follow each other."""
    topics: dict[str, dict[str, list[str]]] = {t: {} for t in dict.fromkeys(SECTION_TOPICS.values())}
    if table is None or table.rows.empty:
        return {t: [] for t in topics}
    code_of = {label: code for code, label in SECTIONS.items()}
    order = list(dict.fromkeys(str(n) for n in table.rows["label"]))
    for name, state, section, text in zip(table.rows["label"], table.rows["state"],
                                          table.rows["section"], table.rows[TEXT]):
        topic = SECTION_TOPICS.get(code_of.get(section, ""))
        if not topic or state != "" or is_blank(text) or text == ERROR_MARK:
            continue
        items = text_items(text)
        if items:
            topics[topic].setdefault(str(name), []).extend(items)
    return {t: [(n, found[n]) for n in order if n in found] for t, found in topics.items()}
