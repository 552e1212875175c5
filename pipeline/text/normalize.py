"""Idempotent converters for what communes really type: numbers, choices, text.

Each converter works like click's ``ParamType.convert``: it accepts the raw cell value
(a string typed by hand, or a number, or None) *and* a value that is already clean, and
returns a `Parsed`. It never guesses: when a value cannot be converted, `Parsed.ok` is
False, the value is None and the note says why, in Vietnamese. Converting a clean value
again gives the same value with ``note=None``, so the reader can keep the raw value beside
the clean one and report every change.

Sections: Result, Numbers, Choices, Text, Legacy encodings (TCVN3, VNI), Vietnamese
syllables (used to detect legacy text without false alarms).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import groupby
from numbers import Integral, Real
from typing import Literal, Sequence

from pipeline.text.fold import SOFT_HYPHEN, fold, remove_invisible

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
    "percent-from-fraction": "Tỷ lệ nhập dạng phân số (0 < x < 1) đã được đổi sang %",
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
        return _format_number(raw)  # type: ignore[arg-type]
    return f"'{raw}'"


def _format_number(value: int | float | Decimal) -> str:
    """Machine form used in notes: 90, 1234.5 (no trailing .0)."""
    if isinstance(value, Integral):
        return str(int(value))
    value = float(value)  # also numpy floats, whose repr is "np.float64(…)"
    return str(int(value)) if value.is_integer() else repr(value)


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
_EXCEL_ERRORS = frozenset(
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


def parse_number(raw: object, *, percent: bool = False, integer: bool = False) -> Parsed:
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
        return _parse_number_text(raw, percent=percent, integer=integer)
    if isinstance(raw, (datetime, date, time)):
        return _fail("not-a-number", f"Ô chứa ngày tháng hoặc giờ ({raw}), không phải là số; hãy nhập số.")
    number = _decimal_from_number(raw)
    if number is None:
        return _fail("not-a-number", f"{_quote(str(raw))} không phải là số; hãy nhập số.")
    if number.is_nan():
        # pandas shows an empty cell as NaN: that is a blank, not a bad value.
        return _BLANK
    if number.is_infinite():
        return _fail("not-a-number", "Giá trị vô cùng không phải là số dùng được; hãy nhập số.")
    return _finish_number(number, raw, percent=percent, integer=integer, codes=[], notes=[])


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


def _parse_number_text(raw: str, *, percent: bool, integer: bool) -> Parsed:
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
        number, raw, percent=percent and not had_percent_sign, integer=integer, codes=codes, notes=notes
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
    note = f"Đã chuyển {_quote(raw)} thành {_format_number(value)}"
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


# ---------------------------------------------------------------------------
# Legacy encodings: TCVN3 (ABC) and VNI
# ---------------------------------------------------------------------------
#
# Before Unicode, Vietnamese was typed with 8-bit fonts. The keyboard driver sent bytes
# that the font drew as Vietnamese letters; Excel stored them as the Windows-1252
# characters of those bytes, so today they show as "X· Thä Thanh" (TCVN3) or
# "Xaõ Thoï Thanh" (VNI). Both tables below are complete for Vietnamese.

# Tone marks as Unicode combining characters, in the order of the tables below.
_HUYEN, _HOI, _NGA, _SAC, _NANG = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONES = (_HUYEN, _HOI, _NGA, _SAC, _NANG)

# TCVN3 (TCVN 5712:1993, VN3): one byte per letter. Per vowel: the untoned letter, then
# huyền, hỏi, ngã, sắc, nặng.
_TCVN3_VOWELS: dict[str, tuple[str, ...]] = {
    "a": ("a", "\xb5", "\xb6", "\xb7", "\xb8", "\xb9"),
    "ă": ("\xa8", "\xbb", "\xbc", "\xbd", "\xbe", "\xc6"),
    "â": ("\xa9", "\xc7", "\xc8", "\xc9", "\xca", "\xcb"),
    "e": ("e", "\xcc", "\xce", "\xcf", "\xd0", "\xd1"),
    "ê": ("\xaa", "\xd2", "\xd3", "\xd4", "\xd5", "\xd6"),
    "i": ("i", "\xd7", "\xd8", "\xdc", "\xdd", "\xde"),
    "o": ("o", "\xdf", "\xe1", "\xe2", "\xe3", "\xe4"),
    "ô": ("\xab", "\xe5", "\xe6", "\xe7", "\xe8", "\xe9"),
    "ơ": ("\xac", "\xea", "\xeb", "\xec", "\xed", "\xee"),
    "u": ("u", "\xef", "\xf1", "\xf2", "\xf3", "\xf4"),
    "ư": ("\xad", "\xf5", "\xf6", "\xf7", "\xf8", "\xf9"),
    "y": ("y", "\xfa", "\xfb", "\xfc", "\xfd", "\xfe"),
}
# VN3 has upper-case slots only for the untoned letters below. Upper-case toned vowels
# were typed with the same bytes as lower-case ones, in an upper-case font (.VnTimeH):
# the bytes of "Ọ" and "ọ" are the same, and only the font told them apart. See
# `tcvn3_to_unicode` for how case is restored.
_TCVN3_OTHERS = {
    "\xae": "đ",
    "\xa1": "Ă",
    "\xa2": "Â",
    "\xa3": "Ê",
    "\xa4": "Ô",
    "\xa5": "Ơ",
    "\xa6": "Ư",
    "\xa7": "Đ",
}


def _build_tcvn3() -> dict[str, str]:
    table = dict(_TCVN3_OTHERS)
    for base, codes in _TCVN3_VOWELS.items():
        table[codes[0]] = base
        for tone, code in zip(_TONES, codes[1:]):
            table[code] = unicodedata.normalize("NFC", base + tone)
    # "ý" is its own TCVN3 byte (0xFD) and stays in the table; plain a, e, i, o, u, y do not.
    return {code: letter for code, letter in table.items() if not code.isascii()}


#: TCVN3 character (as Excel shows it) -> Unicode letter: the 60 toned vowels (lower case),
#: ă â ê ô ơ ư đ and the upper-case Ă Â Ê Ô Ơ Ư Đ (74 entries).
TCVN3_TO_UNICODE: dict[str, str] = _build_tcvn3()
_TCVN3_UPPER_BASES = frozenset("\xa1\xa2\xa3\xa4\xa5\xa6\xa7")
_TCVN3_LOWER_BASES = frozenset("\xa8\xa9\xaa\xab\xac\xad\xae")
# Toned vowels: one byte for both cases.
_TCVN3_CASELESS = frozenset(TCVN3_TO_UNICODE) - _TCVN3_UPPER_BASES - _TCVN3_LOWER_BASES

# VNI (VNI-Windows): a vowel is its base letter followed by one mark character that draws
# the tone, and for â ê ô ă the hat or breve with it. Marks are the lower- or upper-case
# characters below, matching the case of the letter.
_VNI_TONE_MARKS = ("ø", "û", "õ", "ù", "ï")  # huyền, hỏi, ngã, sắc, nặng
_VNI_HAT_MARKS = ("â", "à", "å", "ã", "á", "ä")  # no tone, huyền, hỏi, ngã, sắc, nặng
_VNI_BREVE_MARKS = ("ê", "è", "ú", "ü", "é", "ë")
# i and the dotted y have one-character forms, as do ơ, ư and đ.
_VNI_SINGLES = {"ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ", "ô": "ơ", "ö": "ư", "ñ": "đ"}


def _build_vni() -> dict[str, str]:
    lower: dict[str, str] = dict(_VNI_SINGLES)
    for base in "aeouy":
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS):
            lower[base + mark] = unicodedata.normalize("NFC", base + tone)
    for vni_base, base in (("ô", "ơ"), ("ö", "ư")):
        for tone, mark in zip(_TONES, _VNI_TONE_MARKS):
            lower[vni_base + mark] = unicodedata.normalize("NFC", base + tone)
    for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for tone, mark in zip(("",) + _TONES, _VNI_HAT_MARKS):
            lower[base + mark] = unicodedata.normalize("NFC", hat + tone)
    for tone, mark in zip(("",) + _TONES, _VNI_BREVE_MARKS):
        lower["a" + mark] = unicodedata.normalize("NFC", "ă" + tone)
    # The dotted y is the single "î", not "y" + "ï".
    del lower["y" + _VNI_TONE_MARKS[4]]
    table = dict(lower)
    table.update({code.upper(): letter.upper() for code, letter in lower.items()})
    return table


#: VNI character or pair (as Excel shows it) -> Unicode letter; all 134 letters.
VNI_TO_UNICODE: dict[str, str] = _build_vni()

_LEGACY_CHARS: dict[str, frozenset[str]] = {
    "tcvn3": frozenset(TCVN3_TO_UNICODE),
    "vni": frozenset("".join(VNI_TO_UNICODE)),
}


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text to Unicode: "X· Thä Thanh" -> "Xã Thọ Thanh".

    Case of toned vowels: TCVN3 has no upper-case toned vowels (see `_TCVN3_OTHERS`), so
    they are restored from the context, in this order:
    - a word that is evidently upper case is upper case: at least two surely upper-case
      letters and no surely lower-case one ("§¹T" -> "ĐẠT"), or any word without a lower-
      case letter in a text that is all upper case ("UBND X·" -> "UBND XÃ");
    - a word starting with a toned vowel at the start of a sentence (start of the text or
      of a line, after a bullet or numbering, or after ". ", "! ", "? ") is capitalised
      ("ñy ban" -> "Ủy ban"), since official Vietnamese writing capitalises there;
    - otherwise toned vowels are lower case.
    Known limits: a capitalised word inside a sentence ("§ång chÝ ñy viªn" gives "Đồng chí
    ủy viên", not "Ủy viên"), and text typed all in lower-case keys with the .VnTimeH font
    (which draws everything upper case), which comes out lower case.
    """
    upper, lower = _tcvn3_case_counts(text)
    text_is_caps = upper >= 2 and lower == 0
    out: list[str] = []
    for is_word, run in groupby(text, key=lambda ch: _is_word_char(ch, "tcvn3")):
        chunk = "".join(run)
        converted = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in chunk)
        if is_word:
            word_upper, word_lower = _tcvn3_case_counts(chunk)
            if word_lower == 0 and (word_upper >= 2 or text_is_caps):
                converted = converted.upper()
            elif chunk[0] in _TCVN3_CASELESS and _SENTENCE_START.search("".join(out)):
                converted = converted[0].upper() + converted[1:]
        out.append(converted)
    return "".join(out)


# Text before a word that starts a sentence: nothing, a line break, ". " etc., then maybe
# a bullet or a numbering ("- ", "+ ", "1. ", "2) ").
_SENTENCE_START = re.compile(r"(?:^|\n|[.!?]\s)[\s\-+*•–—\d.)]*$")


def _tcvn3_case_counts(text: str) -> tuple[int, int]:
    """How many letters of a TCVN3 text are surely upper case and surely lower case."""
    upper = sum(1 for ch in text if "A" <= ch <= "Z" or ch in _TCVN3_UPPER_BASES)
    lower = sum(1 for ch in text if "a" <= ch <= "z" or ch in _TCVN3_LOWER_BASES)
    return upper, lower


def vni_to_unicode(text: str) -> str:
    """Convert VNI text to Unicode: "Xaõ Thoï Thanh" -> "Xã Thọ Thanh"."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_TO_UNICODE:
            out.append(VNI_TO_UNICODE[pair])
            i += 2
        else:
            out.append(VNI_TO_UNICODE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _decode_plain(text: str, encoding: str) -> str:
    """Decode without restoring case (case does not matter for detection)."""
    if encoding == "tcvn3":
        return "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    return vni_to_unicode(text)


def detect_legacy(text: str) -> Literal["tcvn3", "vni"] | None:
    """Say whether ``text`` was typed in TCVN3 or VNI; None when unsure or when it is Unicode.

    Conservative by design: a false alarm would damage good text. The text qualifies for an
    encoding only if every letter in it could come from that encoding. Then each word that
    the encoding would change is judged with Vietnamese spelling (see `_is_syllable`):
    a word that is not Vietnamese as it stands but becomes a Vietnamese syllable once
    decoded ("Thä" -> "Thọ") is evidence; a word that decodes to something that is not a
    syllable counts against; a word that is a syllable both ways ("Có" / "Cú") proves
    nothing. Plain ASCII, Unicode Vietnamese (always a syllable as it stands) and text
    with letters outside the encoding (ạ, ơ, đ …) are never detected. A short text whose
    every word reads both ways (TCVN3 "cã" is "có", but also the Unicode syllable "cã")
    stays undetected: a known limit.
    """
    if text.isascii():
        return None
    scores: dict[str, int] = {}
    for encoding in ("tcvn3", "vni"):
        score = _legacy_score(text, encoding)
        if score is None:
            continue
        evidence, against = score
        # One stray word (a name, a typo) may fail to decode in a long legacy text;
        # it takes four good words to outweigh it.
        if evidence >= max(1, 4 * against):
            scores[encoding] = evidence
    if not scores:
        return None
    # When both readings are plausible, one must have at least twice the evidence of the
    # other; otherwise ("Löu" is TCVN3 "Lửu" and VNI "Lưu") we do not pick one.
    best = max(scores, key=lambda enc: scores[enc])
    if any(scores[best] < 2 * score for enc, score in scores.items() if enc != best):
        return None
    return best  # type: ignore[return-value]


def _legacy_score(text: str, encoding: str) -> tuple[int, int] | None:
    """(evidence, against) for one encoding; None if a letter rules the encoding out."""
    chars = _LEGACY_CHARS[encoding]
    for ch in text:
        if ch.isascii() or ch in chars:
            continue
        if ch.isalpha() or unicodedata.combining(ch):
            return None
    evidence = against = 0
    for is_word, run in groupby(text, key=lambda ch: _is_word_char(ch, encoding)):
        if not is_word:
            continue
        word = "".join(run)
        decoded = _decode_plain(word, encoding)
        # A lone mark or symbol ("·", "×", "½") says nothing either way.
        if decoded == word or sum(ch.isalpha() for ch in decoded) < 2:
            continue
        if not _is_syllable(decoded):
            # Upper-case abbreviations ("BC§" is "BCĐ", "Q§" is "QĐ") are not syllables
            # but are normal in official text: they count neither way.
            if not _is_caps_word(word, encoding):
                against += 1
        elif not _is_syllable(word):
            evidence += 1
    return evidence, against


def _is_caps_word(word: str, encoding: str) -> bool:
    """At least two letters that are surely upper case, and none surely lower case."""
    if encoding == "tcvn3":
        upper, lower = _tcvn3_case_counts(word)
    else:
        upper = sum(ch.isupper() for ch in word)
        lower = sum(ch.islower() for ch in word)
    return upper >= 2 and lower == 0


def _is_word_char(ch: str, encoding: str) -> bool:
    return ch.isalpha() or ch in _LEGACY_CHARS[encoding] or unicodedata.combining(ch) > 0


# ---------------------------------------------------------------------------
# Vietnamese syllables
# ---------------------------------------------------------------------------
#
# A written Vietnamese syllable is onset + rime, with at most one tone mark, placed by
# fixed rules. Checking this is what lets `detect_legacy` tell "Thä" (not Vietnamese)
# from "Thọ" (Vietnamese) without a dictionary.

_ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
_RIMES = frozenset(
    """
    a ac ach ai am an ang anh ao ap at au ay
    ăc ăm ăn ăng ăp ăt
    âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et
    ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
    oc oe oen oeo oet oi om on ong ooc oong op ot
    ô ôc ôi ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt
    up ut uy uya uych uyên uyêt uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
    y yêm yên yêt yêu
    """.split()
)
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
_STOP_CODAS = frozenset({"c", "ch", "p", "t"})
_LETTERS = frozenset("abcdđeêghiklmnoôơpqrstuưvxyăâ")
_MARKED_VOWELS = frozenset("ăâêôơư")
# Without a coda, these take the tone on either vowel: "hòa"/"hoà", "khỏe"/"khoẻ", "thúy"/"thuý".
_FREE_TONE_PAIRS = frozenset({"oa", "oe", "uy"})


def _is_syllable(word: str) -> bool:
    """True when ``word`` (any case) is a well-formed Vietnamese syllable."""
    parts = _split_tone(word.lower())
    if parts is None:
        return False
    letters, tone, tone_at = parts
    for onset in _ONSETS:
        rime = letters[len(onset) :]
        if not letters.startswith(onset) or rime not in _RIMES or not _spelling_ok(onset, rime):
            continue
        coda = next((c for c in _CODAS if rime.endswith(c) and len(rime) > len(c)), "")
        if tone is None:
            if coda not in _STOP_CODAS:
                return True
            continue
        # Syllables ending in p, t, c, ch take only the sắc or nặng tone.
        if coda in _STOP_CODAS and tone not in (_SAC, _NANG):
            continue
        nucleus = rime[: len(rime) - len(coda)]
        if tone_at - len(onset) in _tone_places(nucleus, coda):
            return True
    return False


def _split_tone(word: str) -> tuple[str, str | None, int] | None:
    """ "thọ" -> ("tho", nặng, 2); None for a non-letter or a second tone mark."""
    letters = []
    tone: str | None = None
    tone_at = -1
    for ch in word:
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts if m in _TONES]
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        if letter not in _LETTERS or len(marks) > 1 or (marks and tone is not None):
            return None
        if marks:
            tone, tone_at = marks[0], len(letters)
        letters.append(letter)
    return "".join(letters), tone, tone_at


def _spelling_ok(onset: str, rime: str) -> bool:
    """Vietnamese spelling: "ca", "ke", "ghi", "nga", "quê"; never "ce", "ka", "ghe" with a …"""
    first = rime[0]
    front = first in "eêiy"
    if onset == "k":
        return front
    if onset in ("c", "ng"):
        return not front
    if onset in ("gh", "ngh"):
        return first in "eêi"
    if onset == "g":
        return first not in "eê"
    if onset == "gi":
        return first != "i"
    if onset == "qu":
        return first not in "uư"
    return True


def _tone_places(nucleus: str, coda: str) -> set[int]:
    """Positions in the vowel nucleus where the tone mark may stand."""
    marked = [i for i, ch in enumerate(nucleus) if ch in _MARKED_VOWELS]
    if marked:
        return {marked[-1]}  # "ướ" in "người": the last of ư, ơ
    size = len(nucleus)
    if size == 1:
        return {0}
    if coda:
        return {size - 1}  # "oán", "uýt"
    places = {size - 2}  # "mái", "của", "ngoài"
    if nucleus in _FREE_TONE_PAIRS:
        places.add(size - 1)
    return places
