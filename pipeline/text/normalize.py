"""Idempotent converters for what communes really type: numbers, choices, text.

Each converter works like click's ``ParamType.convert``: it accepts the raw cell value
(a string typed by hand, or a number, or None) *and* a value that is already clean, and
returns a `Parsed`. It never guesses: when a value cannot be converted, `Parsed.ok` is
False, the value is None and the note says why, in Vietnamese. Converting a clean value
again gives the same value with ``note=None``, so the reader can keep the raw value beside
the clean one and report every change.

Sections: Result, Numbers, Choices, Text. Legacy encodings (TCVN3, VNI) are in `legacy`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from numbers import Integral, Real
from typing import SupportsFloat, cast

from pipeline.text.fold import SOFT_HYPHEN, fold, remove_invisible
from pipeline.text.legacy import detect_legacy, tcvn3_to_unicode, vni_to_unicode
from pipeline.text.numbers import vn_number

# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """The outcome of one conversion."""

    #: The clean value (float, int, str) or None for a blank cell or a failure.
    value: object
    #: False when the value could not be converted (``value`` is None then).
    ok: bool
    #: What was normalized, or why it failed, in Vietnamese; None when the input was clean.
    note: str | None
    #: Stable kebab-case code of what happened (a key of `NOTE_CODES`); None when clean.
    code: str | None


#: Every code a `Parsed` can carry, with its Vietnamese title.
NOTE_CODES: dict[str, str] = {
    # Numbers
    "number-from-text": "Số được nhập dưới dạng chữ, đã chuyển thành số",
    "number-ambiguous-separator": "Dấu chấm/dấu phẩy trong số có thể hiểu theo hai cách",
    "percent-sign": "Đã bỏ dấu % (tỷ lệ ghi bằng số từ 0 đến 100)",
    "percent-from-fraction": "Tỷ lệ nhập dạng phân số (lớn hơn 0, nhỏ hơn 1) đã được đổi sang phần trăm",
    "blank-dash": "Dấu gạch ngang được hiểu là ô trống",
    "zero-from-word": "Chữ “không” được hiểu là số 0",
    "not-a-number": "Không phải là số",
    "number-with-unit": "Số có kèm chữ hoặc đơn vị tính",
    "excel-error": "Ô chứa lỗi công thức Excel",
    "not-integer": "Không phải là số nguyên",
    # Choices
    "choice-case": "Giá trị chọn viết khác danh sách (hoa/thường, dấu, khoảng trắng), đã sửa",
    "choice-ambiguous": "Giá trị khớp với nhiều mục trong danh sách chọn",
    "not-in-list": "Giá trị không có trong danh sách chọn",
    # Text
    "text-space": "Đã bỏ khoảng trắng thừa hoặc ký tự ẩn",
    "text-nfc": "Chữ tiếng Việt dạng tổ hợp (NFD) đã được chuẩn hóa sang dạng dựng sẵn (NFC)",
    "text-tcvn3": "Chữ gõ bằng bảng mã TCVN3 (ABC) đã được chuyển sang Unicode",
    "text-vni": "Chữ gõ bằng bảng mã VNI đã được chuyển sang Unicode",
    "not-text": "Không phải là chữ",
}

_BLANK = Parsed(None, True, None, None)

# Longest text of a value quoted inside a note.
_NOTE_QUOTE_MAX = 60


# Type names of pandas' missing values (pd.NA, pd.NaT) and numpy's bool, matched by name so
# that this module needs neither library.
_MISSING_TYPES = frozenset({"NAType", "NaTType"})
_BOOL_TYPES = frozenset({"bool", "bool_"})


def _is_missing(raw: object) -> bool:
    """None, or pandas' NA/NaT: an empty cell."""
    return raw is None or type(raw).__name__ in _MISSING_TYPES


def _is_bool(raw: object) -> bool:
    return type(raw).__name__ in _BOOL_TYPES


def _is_number(raw: object) -> bool:
    """int, float, Decimal and numpy numbers; bool is not a number here."""
    return isinstance(raw, (Real, Decimal)) and not _is_bool(raw)


def _fail(code: str, note: str) -> Parsed:
    return Parsed(None, False, note, code)


def _quote(raw: object) -> str:
    """The value as shown inside a note: text in quotes (shortened), numbers as is."""
    if isinstance(raw, str):
        text = unicodedata.normalize("NFC", raw)  # notes are NFC even when the input is not
        text = text if len(text) <= _NOTE_QUOTE_MAX else text[: _NOTE_QUOTE_MAX - 1] + "…"
        return f"'{text}'"
    if _is_number(raw):
        return _note_number(raw)
    return f"'{raw}'"


def _note_number(value: object, *, year: bool = False) -> str:
    """A number as a note shows it to a person: 1.234,5; a year without a thousands dot."""
    return vn_number(value, 6, group=not year)


def _format_number(value: object) -> str:
    """Machine form used in notes: 90, 1234.5 (no trailing .0)."""
    if isinstance(value, Integral):
        return str(int(value))
    number = float(cast(SupportsFloat, value))  # also numpy floats, whose repr is "np.float64(…)"
    return str(int(number)) if number.is_integer() else repr(number)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

# Characters that stand for a minus sign besides "-": the true minus, figure dash, en dash.
_MINUS_SIGNS = "-\u2212\u2012\u2013\ufe63\uff0d"
# A cell holding only dashes ("-", "--", "—") means "nothing to report" in Vietnamese tables.
_DASHES_ONLY = re.compile(r"[-\u2010-\u2015\u2212_]+")
# Excel's leading apostrophe (force text) and its look-alikes from autocorrect.
_APOSTROPHES = "'\u2018\u2019`"
# Words meaning zero ("không" is the name of the digit 0); compared through `fold`.
_ZERO_WORDS = frozenset({"khong", "khong co"})
# Error values Excel shows in a cell, which reach us as text when a formula was pasted as value.
EXCEL_ERRORS = _EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)
# A number followed by words: "800 người", "15 triệu đồng".
_NUMBER_WITH_UNIT = re.compile(r"[-+]?[\d.,\s]*\d[\d.,\s]*\s*[^\W\d_].*")

_DIGITS = re.compile(r"\d+")
_SPACE_GROUPED = re.compile(r"(\d{1,3}(?: \d{3})+)(?:([.,])(\d+))?")
_ONE_SEPARATOR = re.compile(r"(\d*)([.,])(\d+)")

# When several things happened, the code of the most important one is reported.
_NUMBER_CODE_ORDER = (
    "number-ambiguous-separator",
    "percent-from-fraction",
    "percent-sign",
    "number-from-text",
)


def parse_number(raw: object, *, percent: bool = False, integer: bool = False,
                 year: bool = False) -> Parsed:
    """Convert a typed number: ``"1.234,5"`` -> 1234.5, ``"90%"`` -> 90, ``7.0`` -> 7.

    Args:
        raw: the cell value: None, a number (bool is not a number), or text.
        percent: the cell holds a percentage 0–100; a fraction 0 < x < 1 that did not
            come with a % sign is multiplied by 100 (``0,9`` -> 90).
        integer: the cell holds a whole number (households, meetings); the value is an
            int, and 7.5 fails with "not-integer".

    Returns:
        `Parsed` whose value is an int when ``integer`` else a float; None for a blank cell.
    """
    if _is_missing(raw):
        return _BLANK
    if _is_bool(raw):
        return _fail("not-a-number", "Giá trị đúng/sai (TRUE/FALSE) không phải là số; hãy nhập số.")
    if isinstance(raw, str):
        return _parse_number_text(raw, percent=percent, integer=integer, year=year)
    if isinstance(raw, (datetime, date, time)):
        shown = raw.strftime("%d/%m/%Y") if isinstance(raw, date) else raw.strftime("%H:%M")
        return _fail("not-a-number", f"Ô chứa ngày tháng hoặc giờ ({shown}), không phải là số; hãy nhập số.")
    number = _decimal_from_number(raw)
    if number is None:
        return _fail("not-a-number", f"{_quote(str(raw))} không phải là số; hãy nhập số.")
    if number.is_nan():
        # pandas shows an empty cell as NaN: that is a blank, not a bad value.
        return _BLANK
    if number.is_infinite():
        return _fail("not-a-number", "Giá trị vô cùng không phải là số dùng được; hãy nhập số.")
    return _finish_number(number, raw, percent=percent, integer=integer, codes=[], notes=[],
                          year=year)


def _decimal_from_number(raw: object) -> Decimal | None:
    """An exact Decimal for a numeric value; floats go through repr so 0.9 stays 0.9."""
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, Integral):
        return Decimal(int(raw))
    if isinstance(raw, Real):
        value = float(raw)
        if math.isnan(value):
            return Decimal("NaN")
        if math.isinf(value):
            return Decimal("Infinity")
        return Decimal(repr(value))
    return None


def _parse_number_text(raw: str, *, percent: bool, integer: bool, year: bool = False) -> Parsed:
    # NFKC turns no-break and thin spaces into plain spaces and full-width digits into ASCII.
    text = remove_invisible(unicodedata.normalize("NFKC", raw), keep_soft_hyphen=False).strip()
    if text and text[0] in _APOSTROPHES:
        text = text[1:].strip()
    if not text:
        return _BLANK
    special = _parse_special_text(raw, text, integer=integer)
    if special is not None:
        return special

    codes = ["number-from-text"]
    notes: list[str] = []
    had_percent_sign = text.endswith("%")
    if had_percent_sign:
        text = text[:-1].rstrip()
        codes.append("percent-sign")
        notes.append("đã bỏ dấu %, tỷ lệ ghi bằng số từ 0 đến 100")

    negative = False
    if text and text[0] in "+" + _MINUS_SIGNS:
        negative = text[0] != "+"
        text = text[1:].lstrip()

    body = _parse_digits(text, integer=integer)
    if body is None:
        return _not_a_number(raw)
    number, ambiguity = body
    if ambiguity:
        codes.append("number-ambiguous-separator")
        notes.append(ambiguity)
    if negative and number:
        number = -number
    return _finish_number(
        number, raw, percent=percent and not had_percent_sign, integer=integer, codes=codes, notes=notes,
        year=year,
    )


def _parse_special_text(raw: str, text: str, *, integer: bool) -> Parsed | None:
    """Dashes, the word "không" and Excel error values; None when the text is none of them."""
    if _DASHES_ONLY.fullmatch(text.replace(" ", "")):
        note = (
            f"Dấu gạch {_quote(raw.strip())} được hiểu là ô trống (không có số liệu); "
            "nếu số liệu là 0, hãy nhập 0."
        )
        return Parsed(None, True, note, "blank-dash")
    if fold(text) in _ZERO_WORDS:
        note = f"Đã chuyển {_quote(raw)} thành 0; lần sau hãy nhập số 0."
        return Parsed(0 if integer else 0.0, True, note, "zero-from-word")
    if text.upper() in _EXCEL_ERRORS:
        note = (
            f"Ô chứa lỗi công thức Excel {text.upper()}, không có số liệu; "
            "hãy sửa công thức hoặc nhập số."
        )
        return _fail("excel-error", note)
    return None


def _not_a_number(raw: str) -> Parsed:
    shown = _quote(raw.strip())
    if _NUMBER_WITH_UNIT.fullmatch(unicodedata.normalize("NFKC", raw).strip()):
        note = f"{shown} có kèm chữ hoặc đơn vị; ô này chỉ nhập số, không ghi đơn vị tính."
        return _fail("number-with-unit", note)
    return _fail("not-a-number", f"{shown} không phải là số; hãy nhập số.")


def _parse_digits(text: str, *, integer: bool) -> tuple[Decimal, str | None] | None:
    """Digits with separators -> (value, ambiguity note or None); None if not a number.

    The Vietnamese convention is the default: "." groups thousands and "," marks decimals.
    A string that proves the opposite convention (both separators, or a separator repeated)
    is read that way, and groups must be exactly three digits, so "12,34,567" fails.
    """
    if " " in text:
        return _parse_space_grouped(text)
    if _DIGITS.fullmatch(text):
        return Decimal(text), None
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        return _parse_both_separators(text)
    if dots + commas == 0:
        return None
    separator = "." if dots else ","
    if dots + commas > 1:
        grouped = re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+", text)
        return (Decimal(text.replace(separator, "")), None) if grouped else None
    return _parse_one_separator(text, integer=integer)


def _parse_space_grouped(text: str) -> tuple[Decimal, str | None] | None:
    """ "1 234 567,5": spaces (no-break or thin ones too) group thousands."""
    match = _SPACE_GROUPED.fullmatch(text)
    if not match:
        return None
    whole, _, fraction = match.groups()
    return Decimal(whole.replace(" ", "") + ("." + fraction if fraction else "")), None


def _parse_both_separators(text: str) -> tuple[Decimal, str | None] | None:
    """ "1.234,5" or "1,234.5": the last separator is the decimal one, the other groups."""
    decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
    group_sep = "," if decimal_sep == "." else "."
    pattern = rf"(\d{{1,3}}(?:{re.escape(group_sep)}\d{{3}})+){re.escape(decimal_sep)}(\d+)"
    match = re.fullmatch(pattern, text)
    if not match:
        return None
    return Decimal(match.group(1).replace(group_sep, "") + "." + match.group(2)), None


def _parse_one_separator(text: str, *, integer: bool) -> tuple[Decimal, str | None] | None:
    """One "." or one ",": a decimal mark, unless it may be a thousands separator.

    "1.234" and "1,234" (1–3 digits, not starting with 0, then exactly 3 digits) can be
    read both ways. We follow the Vietnamese convention that the annexes use and that
    Excel applies with Vietnamese regional settings: "." groups thousands, "," marks
    decimals. A number that Excel recognised never reaches us as text; text like this
    comes from a cell formatted as Text or from a paste, i.e. it is what the clerk typed,
    in the clerk's own convention. One exception: in a whole-number cell "1,234" can only
    be one thousand two hundred thirty-four. Both readings carry a note, so the clerk can
    check the figure.
    """
    match = _ONE_SEPARATOR.fullmatch(text)
    if not match:
        return None
    left, separator, right = match.groups()
    value = Decimal((left or "0") + "." + right)
    looks_grouped = len(right) == 3 and 1 <= len(left) <= 3 and left[0] != "0"
    if not looks_grouped:
        return value, None
    thousands = Decimal(left + right)
    if separator == ".":
        note = (
            "có thể hiểu theo hai cách; đã hiểu dấu chấm là dấu phân cách hàng nghìn "
            f"theo cách viết Việt Nam ({left + right}); nếu đây là số thập phân, hãy nhập {left},{right}"
        )
        return thousands, note
    if integer:
        note = (
            "có thể hiểu theo hai cách; ô này chỉ nhận số nguyên nên đã hiểu dấu phẩy "
            f"là dấu phân cách hàng nghìn ({left + right}); lần sau hãy nhập {left + right}"
        )
        return thousands, note
    note = (
        "có thể hiểu theo hai cách; đã hiểu dấu phẩy là dấu thập phân theo cách viết "
        f"Việt Nam ({left} phẩy {right}); nếu đây là số hàng nghìn, hãy nhập {left + right}"
    )
    return value, note


def _finish_number(
    number: Decimal,
    raw: object,
    *,
    percent: bool,
    integer: bool,
    codes: list[str],
    notes: list[str],
    year: bool = False,
) -> Parsed:
    """Apply the percent and integer rules, then build the result and its note."""
    # A fraction 0 < x < 1 in a percent cell is a share typed as a fraction (0,9) or a cell
    # formatted as % in Excel (shows 90 %, stores 0.9). Exactly 1 stays 1: it is a real
    # percentage (1 % poor households) as often as it is "100 %", and "1" alone cannot tell.
    if percent and 0 < number < 1:
        number = number * 100
        codes.append("percent-from-fraction")
        notes.append(
            "tỷ lệ nhập dạng phân số (lớn hơn 0, nhỏ hơn 1) được hiểu là phần trăm; "
            "nếu tỷ lệ thật sự nhỏ hơn 1 %, hãy ghi kèm dấu %, ví dụ 0,5%"
        )
    if integer:
        if number != number.to_integral_value():
            note = f"{_quote(raw)} không phải là số nguyên; ô này chỉ nhận số nguyên."
            return _fail("not-integer", note)
        value: int | float = int(number)
    else:
        value = float(number)
    if not codes:
        return Parsed(value, True, None, None)
    code = next(c for c in _NUMBER_CODE_ORDER if c in codes)
    source = "chữ " if isinstance(raw, str) else ""
    note = f"Đã chuyển {source}{_quote(raw)} thành số {_note_number(value, year=year)}"
    if notes:
        note += ": " + "; ".join(notes)
    return Parsed(value, True, note + ".", code)


# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------


def parse_choice(raw: object, choices: Sequence[str]) -> Parsed:
    """Match a typed value against a dropdown list: "ĐẠT", " dat " -> "Đạt".

    Matching goes from strict to loose and stops at the first level with a match: exact,
    then ignoring case and spacing, then ignoring diacritics too (`fold`), then as a number
    ("3,0" -> "3"). Whole values are compared, never substrings, so "Chưa đạt" never
    matches "Đạt". Two list entries matching at the same level fail with "choice-ambiguous".
    """
    if _is_missing(raw):
        return _BLANK
    if _is_bool(raw):
        return _not_in_list(str(raw).upper(), choices)
    if _is_number(raw):
        number = parse_number(raw)
        if number.value is None:
            return _BLANK if number.ok else _not_in_list(raw, choices)
        text = _format_number(number.value)
        cleaned = Parsed(text, True, None, None)
    else:
        cleaned = clean_text(raw)
        if not cleaned.ok or cleaned.value is None:
            return cleaned
        text = str(cleaned.value)
    if text in choices:
        # Only spacing or NFC differed: report it as a choice fix; a legacy font keeps its code.
        if cleaned.code is None or cleaned.code in _LEGACY_CODES:
            return cleaned
        return _choice_changed(raw, text)
    matches = _match_choice(text, choices)
    if len(matches) > 1:
        listed = " / ".join(matches)
        note = f"{_quote(raw)} khớp với nhiều mục trong danh sách ({listed}); hãy chọn đúng một giá trị."
        return _fail("choice-ambiguous", note)
    if not matches:
        return _not_in_list(raw, choices)
    result = _choice_changed(raw, matches[0])
    if cleaned.code in _LEGACY_CODES:
        return Parsed(result.value, True, f"{cleaned.note} {result.note}", cleaned.code)
    return result


def _match_choice(text: str, choices: Sequence[str]) -> list[str]:
    """The list entries matching ``text`` at the strictest level that has any."""
    for key in (_nfc, _case_key, fold, _number_key):
        wanted = key(text)
        if wanted is None:
            continue
        found = [c for c in dict.fromkeys(choices) if key(c) == wanted]
        if found:
            return found
    return []


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _case_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _number_key(text: str) -> str | None:
    number = parse_number(text)
    return _format_number(number.value) if number.ok and number.value is not None else None


def _choice_changed(raw: object, choice: str) -> Parsed:
    note = f"Đã chuyển {_quote(raw)} thành '{choice}' cho đúng danh sách chọn."
    return Parsed(choice, True, note, "choice-case")


def _not_in_list(raw: object, choices: Sequence[str]) -> Parsed:
    allowed = " / ".join(choices)
    note = f"{_quote(raw)} không có trong danh sách; chỉ được chọn một trong các giá trị: {allowed}."
    return _fail("not-in-list", note)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

# Invisible characters that creep in from the web and Word: zero-width spaces and joiners,
# word joiner, byte-order mark, bidi marks. The soft hyphen U+00AD is handled apart: in
# TCVN3 it is the letter "ư".
_LEGACY_CODES = frozenset({"text-tcvn3", "text-vni"})


def clean_text(raw: object) -> Parsed:
    """Clean typed text: NFC, single spaces, no invisible characters, legacy fonts converted.

    Line breaks typed with Alt+Enter are kept (spaces around them are removed). Text typed
    in the TCVN3 (ABC) or VNI legacy encodings is converted to Unicode only when
    `detect_legacy` is sure. Numbers become their text ("15"), quietly; TRUE/FALSE and
    dates are refused (they are not text a clerk typed).
    """
    if _is_missing(raw):
        return _BLANK
    if _is_bool(raw) or isinstance(raw, (datetime, date, time)):
        return _fail("not-text", f"Giá trị {_quote(str(raw))} không phải là chữ; hãy nhập chữ.")
    if _is_number(raw):
        number = parse_number(raw)
        if number.value is None:
            return _BLANK if number.ok else _fail("not-text", f"{_quote(str(raw))} không phải là chữ.")
        return Parsed(_format_number(number.value), True, None, None)
    if not isinstance(raw, str):
        return _fail("not-text", f"Giá trị {_quote(str(raw))} không phải là chữ; hãy nhập chữ.")
    return _clean_string(raw)


def _clean_string(raw: str) -> Parsed:
    # Step 1: invisible characters out, every kind of space to " ", line ends to "\n".
    visible = _unify_spaces(remove_invisible(raw, keep_soft_hyphen=True))
    # Step 2: NFD (Mac, web pages) to NFC.
    composed = unicodedata.normalize("NFC", visible)
    tidy = _collapse_spaces(composed)
    # Step 3: legacy fonts; otherwise a soft hyphen is just an invisible character.
    legacy = detect_legacy(tidy)
    if legacy == "tcvn3":
        converted = tcvn3_to_unicode(tidy)
    elif legacy == "vni":
        converted = vni_to_unicode(tidy)
    else:
        converted = tidy
    soft_hyphens = SOFT_HYPHEN in converted
    clean = _collapse_spaces(unicodedata.normalize("NFC", converted.replace(SOFT_HYPHEN, "")))
    if not clean:
        return _BLANK
    if clean == raw:
        return Parsed(clean, True, None, None)

    spaces_changed = visible != raw or tidy != composed or soft_hyphens
    notes: list[str] = []
    codes: list[str] = []
    if legacy is not None:
        codes.append(f"text-{legacy}")
        notes.append(_legacy_note(legacy, tidy, clean))
    if composed != visible:
        codes.append("text-nfc")
        notes.append(
            "Đã chuẩn hóa chữ tiếng Việt dạng tổ hợp (NFD, thường gặp khi chép từ máy Mac "
            "hoặc trang web) sang dạng dựng sẵn (NFC)."
        )
    if spaces_changed or not codes:
        codes.append("text-space")
        notes.append("Đã bỏ khoảng trắng thừa hoặc ký tự ẩn.")
    return Parsed(clean, True, " ".join(notes), codes[0])


def _legacy_note(legacy: str, before: str, after: str) -> str:
    font = "TCVN3 (ABC, phông .VnTime)" if legacy == "tcvn3" else "VNI (phông VNI-Times)"
    return f"Đã chuyển chữ gõ bằng bảng mã {font} {_quote(before)} thành Unicode {_quote(after)}."


def _unify_spaces(text: str) -> str:
    """Line ends to "\\n"; tabs, no-break, thin and other spaces (category Zs) to " "."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(" " if ch == "\t" or unicodedata.category(ch) == "Zs" else ch for ch in text)


def _collapse_spaces(text: str) -> str:
    """Single spaces inside each line, no spaces at line ends, at most one empty line."""
    lines = [re.sub(" {2,}", " ", line).strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n ")
