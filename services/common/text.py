"""Free text as Thai users send it, made one form before it is checked, stored or searched.

`folded` is the one normal form (docs/architecture.md, "Input"): NFC; a sara am typed as nikhahit + sara aa
(`ํา`, as some keyboards and PDF copies give it) becomes `ำ`, with a tone mark typed between them put before
it; a tone mark typed before an upper vowel goes after it; a mark typed twice in a row counts once; and the
invisible characters chat apps and web pages paste (zero-width space and non-joiner, word joiner, byte-order
mark, soft hyphen) are dropped. The zero-width joiner stays: emoji sequences need it. Bidi embedding, override
and isolate controls are refused (they can make text read otherwise than it is stored), and so is NUL, which
PostgreSQL cannot store.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic_core import PydanticCustomError

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NOT_IN_QUERIES = dict.fromkeys(map(ord, ["\x00", *_BIDI_CONTROLS]))
_NIKHAHIT, _SARA_AA, _SARA_AM = "\u0e4d", "\u0e32", "\u0e33"
_TONE = "\u0e48-\u0e4b"  # mai ek, mai tho, mai tri, mai chattawa
_UPPER_VOWEL = "\u0e31\u0e34-\u0e37"  # mai han-akat, sara i, ii, ue, uee
_DECOMPOSED_AM = re.compile(f"{_NIKHAHIT}([{_TONE}]?){_SARA_AA}")
_TONE_BEFORE_VOWEL = re.compile(f"([{_TONE}])([{_UPPER_VOWEL}])")
_REPEATED_MARK = re.compile(f"([{_TONE}{_UPPER_VOWEL}\u0e38-\u0e3a\u0e47\u0e4c-\u0e4e])\\1+")


def storable(value: str) -> str:
    """Text kept as sent (a password, a secret, a URL), once it holds no NUL: PostgreSQL cannot store one."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Must not contain the NUL character (U+0000)")
    return value


def folded(value: str) -> str:
    """The text in its one normal form (see the module's rule); refuses NUL and bidi controls."""
    storable(value)
    if not _BIDI_CONTROLS.isdisjoint(value):
        raise PydanticCustomError(
            "bidi_control", "Must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)"
        )
    return _normal_form(value)


def _normal_form(value: str) -> str:
    value = unicodedata.normalize("NFC", value.translate(_INVISIBLE))
    value = _DECOMPOSED_AM.sub(lambda match: match.group(1) + _SARA_AM, value)
    value = _TONE_BEFORE_VOWEL.sub(r"\2\1", value)
    return _REPEATED_MARK.sub(r"\1", value)


def has_letter(value: str) -> bool:
    """Whether the text shows a letter or a digit (a combining mark or a space alone shows nothing)."""
    return any(unicodedata.category(char)[0] in "LN" for char in value)


def visible(value: str) -> str:
    """Folded and trimmed text that must show a letter or digit: a name, a title, a sentence."""
    value = folded(value).strip()
    if not value:
        raise PydanticCustomError("blank_text", "Must not be blank")
    if not has_letter(value):
        raise PydanticCustomError("no_letter", "Must contain a visible letter or digit")
    return value


def search_form(value: str) -> str:
    """A query in the form stored text is folded to, so what a user types finds what the plain spelling finds;
    what stored text may not hold (NUL, bidi controls) is dropped from a query, not refused."""
    return _normal_form(value.translate(_NOT_IN_QUERIES)).strip()
