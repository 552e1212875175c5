"""Names: ASCII file names, slugs, unit-type prefixes ("Xã", "TT.", "Thị trấn")."""

from __future__ import annotations

import re
import unicodedata

from pipeline.text.fold import fold, strip_diacritics

# Unit-type words that may precede a name, each with the canonical type it stands for.
# Compared word by word through `fold`, so "XÃ", "xa" and "Xã" all match "Xã".
# Abbreviations are what clerks type in file names and cells ("TT Thường Xuân",
# "X. Thọ Thanh"); single letters count only with their dot, so "X Thọ Thanh" is left alone.
UNIT_PREFIXES: dict[str, str] = {
    "Thị trấn": "Thị trấn",
    "Thị xã": "Thị xã",
    "Thành phố": "Thành phố",
    "Đặc khu": "Đặc khu",
    "Phường": "Phường",
    "Huyện": "Huyện",
    "Quận": "Quận",
    "Tỉnh": "Tỉnh",
    "Xã": "Xã",
    "TT.": "Thị trấn",
    "TT": "Thị trấn",
    "TX.": "Thị xã",
    "TX": "Thị xã",
    "TP.": "Thành phố",
    "TP": "Thành phố",
    "X.": "Xã",
    "P.": "Phường",
    "H.": "Huyện",
    "Q.": "Quận",
}

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def ascii_name(text: str) -> str:
    """ASCII-only name for file names: "Xã Thọ Thanh" -> "XaThoThanh"."""
    return _NON_ALNUM.sub("", strip_diacritics(text))


def slug(text: str) -> str:
    """Lower-case ASCII words joined by underscores: "Xã Thọ Thanh" -> "xa_tho_thanh"."""
    return _NON_ALNUM.sub("_", strip_diacritics(text).lower()).strip("_")


def split_unit_prefix(name: str) -> tuple[str | None, str]:
    """Split "Xã Thọ Thanh" into ("Xã", "Thọ Thanh").

    The first item is the canonical unit type (an abbreviation such as "TT" gives
    "Thị trấn"), or None when the name has no prefix or is nothing but one. The
    second is the rest, NFC with single spaces.
    """
    words = unicodedata.normalize("NFC", name).split()
    for prefix, kind in UNIT_PREFIXES.items():
        size = len(prefix.split())
        if len(words) > size and fold(" ".join(words[:size])) == fold(prefix):
            return kind, " ".join(words[size:])
    return None, " ".join(words)


def strip_unit_prefix(name: str) -> str:
    """Drop one leading unit-type word: "Xã Thọ Thanh" -> "Thọ Thanh".

    A name whose rest would be a bare number ("Phường 1", "Quận 12") is kept
    whole, as the official short names do: the number alone names nothing.
    """
    kind, rest = split_unit_prefix(name)
    if kind is None or rest.replace(" ", "").isdigit():
        return " ".join(unicodedata.normalize("NFC", name).split())
    return rest


_VOWELS = frozenset("AĂÂEÊIOÔƠUƯYÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẮẰẲẴẶẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ")


def sentence_name(name: str) -> str:
    """An office written in capitals, as a sentence names it: "PHÒNG NÔNG NGHIỆP VÀ PTNT" ->
    "Phòng Nông nghiệp và PTNT" (the office and its field capitalised, abbreviations kept)."""
    name = " ".join(name.split())
    if not name.isupper():
        return name
    words = []
    for i, word in enumerate(name.split()):
        if not _VOWELS & set(word):  # PTNT, NN&PTNT
            words.append(word)
        else:
            words.append(word.capitalize() if i < 2 else word.lower())
    return " ".join(words)


#: Abbreviations that keep their capitals inside a sentence even though they have vowels.
ACRONYMS = frozenset({"OCOP", "UBND", "HĐND", "MTQG", "HTX"})


def sentence_case(text: str) -> str:
    """A title in capitals as a sentence: "SẢN PHẨM OCOP" -> "Sản phẩm OCOP"."""
    words = text.split(" ")
    out = [w if (w.strip(",.;:()") in ACRONYMS or not _VOWELS & set(w.upper())) and w.isupper()
           else w.lower() for w in words]
    first = out[0]
    out[0] = first[:1].upper() + first[1:]
    return " ".join(out)
