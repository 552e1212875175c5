"""The pandera schema of the long cells frame, built from the annex rules; failures become Findings.

All units are validated in one call (lazy, so every failure is collected): each check's ``name`` is
a finding code, and each failing index points back to one Excel cell.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.annexes import Annex
from pipeline.annexes.model import NUMERIC_KINDS, WHOLE_KINDS
from pipeline.annexes.slots import default_slots
from pipeline.core.findings import Finding
from pipeline.core.values import blank_mask
from pipeline.text.fold import fold
from pipeline.text.numbers import vn_count, vn_number, vn_range

A1 = r"^[A-Z]{1,3}[1-9][0-9]*$"


def _present(df: pd.DataFrame, among: pd.Series) -> pd.Series:
    """Cells of ``among`` holding something typed (not blank)."""
    return among & df["present"]


def _failing(df: pd.DataFrame, among: pd.Series, column: str, fails) -> pd.Series:
    """True where a row of ``among`` fails ``fails`` (a test of the ``column`` values of those
    rows only, as a list): object columns are slow to scan whole, and each check concerns a few
    kinds of cell."""
    out = np.zeros(len(df), dtype=bool)
    at = np.flatnonzero(among.to_numpy(dtype=bool))
    if len(at):
        out[at] = fails(df[column].to_numpy()[at])
    return pd.Series(out, index=df.index)


def _numeric_ok(df: pd.DataFrame) -> pd.Series:
    """A numeric cell holding something must have parsed to a number."""
    unparsed = _present(df, df["kind"].isin(NUMERIC_KINDS) & df["number"].isna())
    return ~_failing(df, unparsed, "parse_code",
                     lambda codes: ~pd.Series(codes).isin(["blank-dash", "not-integer"]).to_numpy())


def _integer_ok(df: pd.DataFrame) -> pd.Series:
    whole = df["kind"].isin(WHOLE_KINDS)
    flagged = _failing(df, df["parse_code"].notna(), "parse_code",
                       lambda codes: codes == "not-integer")
    return ~(whole & ((df["number"] % 1).abs() > 1e-9)) & ~flagged


def _range_ok(df: pd.DataFrame) -> pd.Series:
    number = df["number"]
    low = df["min"].astype(float)
    high = df["max"].astype(float)
    below = low.notna() & number.notna() & (number < low - 1e-9)
    above = high.notna() & number.notna() & (number > high + 1e-9)
    return ~(below | above)


def _choice_ok(df: pd.DataFrame) -> pd.Series:
    return ~_failing(df, _present(df, df["kind"] == "choice"), "value", pd.isna)


def _date_ok(df: pd.DataFrame) -> pd.Series:
    return ~_failing(df, _present(df, df["kind"] == "date"), "value", pd.isna)


def _required_ok(df: pd.DataFrame) -> pd.Series:
    return ~_failing(df, df["required"].fillna(False).astype(bool), "value", blank_mask)


def _length_ok(df: pd.DataFrame) -> pd.Series:
    limit = df["max_length"].astype(float)
    limited = limit.notna()
    out = _failing(df, limited, "value", lambda values: np.fromiter(
        (isinstance(v, str) for v in values), dtype=bool, count=len(values)))
    if out.any():  # text cells of limited columns: now their length
        text = df.loc[out, "value"].astype(str)
        out[out] = (text.str.len() > limit[out]).to_numpy()
    return ~out


def _unique_ok(df: pd.DataFrame) -> pd.Series:
    mask = df["unique"].fillna(False).astype(bool) & df["value"].notna()
    sub = df.loc[mask, ["unit_code", "file", "annex", "column", "value"]]
    keys = pd.DataFrame({
        "unit": sub["unit_code"], "file": sub["file"], "annex": sub["annex"], "column": sub["column"],
        "text": sub["value"].map(lambda v: fold(str(v))),
    })
    dup = keys.duplicated(keep="first")
    out = pd.Series(True, index=df.index)
    out[dup[dup].index] = False
    return out


#: Finding code → vectorized check over the whole frame (True = fine).
CHECKS = {
    "not-a-number": _numeric_ok,
    "not-integer": _integer_ok,
    "out-of-range": _range_ok,
    "not-in-list": _choice_ok,
    "not-a-date": _date_ok,
    "required-missing": _required_ok,
    "too-long": _length_ok,
    "duplicate-value": _unique_ok,
}


def build_schema(annexes: Mapping[str, Annex]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "unit_code": pa.Column(str, nullable=True),
            "annex": pa.Column(str, pa.Check.isin(list(annexes)), title="Phụ biểu"),
            "cell": pa.Column(str, pa.Check.str_matches(A1), title="Ô Excel"),
            "number": pa.Column(float, nullable=True),
        },
        checks=[pa.Check(fn, name=code, error=code) for code, fn in CHECKS.items()],
        name="cells",
        description="Every value read from the communes' annexes, one row per Excel cell.",
    )


def validate_cells(frame: pd.DataFrame, annexes: Mapping[str, Annex]) -> tuple[list[Finding], np.ndarray]:
    """Findings of every failed check and a boolean mask of the cells that must not be used.

    The schema validates the rows that can fail one of its checks (``_candidates``, a superset of
    the failures computed cheaply per column); every other row provably passes them all, so the
    findings are those of validating the whole frame, at a fraction of the cost on millions of cells.
    """
    if frame.empty:
        return [], np.zeros(0, dtype=bool)
    frame = frame.reset_index(drop=True)
    lean = frame[_candidates(frame, annexes)]
    try:
        build_schema(annexes).validate(lean, lazy=True)
        return [], np.zeros(len(frame), dtype=bool)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    findings: list[Finding] = []
    bad = np.zeros(len(frame), dtype=bool)
    rules = default_slots().rules
    failed = [(check, int(index)) for check, index
              in cases[["check", "index"]].drop_duplicates().itertuples(index=False)
              if check in CHECKS and index is not None and not pd.isna(index)]
    # One defect, one finding: a required cell holding a value that failed another check (not in
    # the list, not a number) is not also "not filled in".
    explained = {i for check, i in failed if check != "required-missing"}
    for check, i in failed:
        if check == "required-missing" and i in explained:
            bad[i] = True
            continue
        row = frame.iloc[i]
        bad[i] = True
        findings.append(_finding(check, row, rules.iloc[int(row["slot"])]))
    return findings, bad


def _candidates(df: pd.DataFrame, annexes: Mapping[str, Annex]) -> np.ndarray:
    """Rows that may fail a check of the schema: those the schema's own check functions reject,
    every cell of a unique column (a duplicate is only seen beside its first occurrence), and rows
    whose annex code or cell address fails the column checks (tested once per distinct value)."""
    ok = np.ones(len(df), dtype=bool)
    for check in CHECKS.values():
        ok &= check(df).to_numpy(dtype=bool)
    ok &= ~(df["unique"].fillna(False).astype(bool) & df["value"].notna()).to_numpy(dtype=bool)
    for column, valid in (("annex", lambda u: pd.Series(u).isin(list(annexes)).to_numpy()),
                          ("cell", lambda u: pd.Series(u, dtype=object).astype(str).str.match(A1)
                           .fillna(False).to_numpy(dtype=bool))):
        distinct = pd.unique(df[column].to_numpy(dtype=object))
        failing = distinct[~valid(distinct)]
        if len(failing):
            ok &= ~df[column].isin(failing).to_numpy(dtype=bool)
    return ~ok


def _finding(code: str, row: pd.Series, rule: pd.Series) -> Finding:
    """The finding of one failed check; ``rule`` is the cell's row of the rules table."""
    raw_codes = ("not-a-number", "not-in-list", "not-a-date", "not-integer")
    value = row["raw"] if code in raw_codes else row["value"]
    year = rule["kind"] == "year"
    if year and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = vn_number(value, group=False)
    note: object = ""
    if code == "out-of-range":
        note = vn_range(rule["min"], rule["max"], group=not year, suffix="%" if rule["kind"] == "percent" else "")
    elif code == "not-in-list":
        note = "; ".join(rule["choices"]) if isinstance(rule["choices"], tuple) else ""
    elif code == "required-missing":
        note = rule["row_label"] or rule["title"]
    elif code == "too-long":
        value = len(str(row["value"]))
        note = vn_count(rule["max_length"])
    elif code == "duplicate-value":
        note = rule["title"]
    return Finding.make(code, unit_code=row["unit_code"] or "", file=row["file"], sheet=row["sheet"],
                        cell=row["cell"], value=value, note=note)

