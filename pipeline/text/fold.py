"""The one matching key for Vietnamese text, and the diacritics stripping it is built on.

Headers, choices, unit names, file names and region names are all compared through `fold`, so a
header pasted with a zero-width space, an "Ð" (U+00D0) typed for "Đ", or "ĐẠT" in capitals matches
what the template says.
"""

from __future__ import annotations

import functools
import unicodedata

#: đ/Đ and the look-alikes often typed for them (Icelandic eth, African D) → d/D.
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D", "ð": "d", "Ɖ": "D", "ɖ": "d"})
SOFT_HYPHEN = "\u00ad"


def remove_invisible(text: str, *, keep_soft_hyphen: bool = False) -> str:
    """Drop format characters (category Cf: zero-width spaces, BOM …) and control characters
    other than tab and line ends."""
    if text.isascii() and text.isprintable():
        return text
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch == SOFT_HYPHEN and keep_soft_hyphen:
            kept.append(ch)
        elif category == "Cf" or (category == "Cc" and ch not in "\t\n\r"):
            continue
        else:
            kept.append(ch)
    return "".join(kept)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks and map đ/Đ (and look-alikes) to d/D; case is kept."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_D_LETTERS)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key: "Xã  Thọ Thanh" -> "xa tho thanh".

    Lower case, tone and vowel marks removed, đ/Đ (and Ð) to d, invisible characters removed,
    runs of spaces collapsed, stripped.
    """
    return " ".join(strip_diacritics(remove_invisible(text)).casefold().split())
