"""The one form free text is folded to (services/common/text.py), rule by rule."""

from __future__ import annotations

import pytest
from pydantic_core import PydanticCustomError

from services.common.text import folded, search_form, visible


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("น\u0e4d\u0e32", "นำ"),  # sara am typed as nikhahit + sara aa
        ("น\u0e4d\u0e49\u0e32", "น้ำ"),  # … with the tone mark typed between them
        ("น\u0e49\u0e4d\u0e32", "น้ำ"),  # … or before the nikhahit
        ("ก\u0e48\u0e35", "กี่"),  # a tone mark typed before the upper vowel
        ("ก\u0e48\u0e48", "ก่"),  # a mark typed twice counts once
        ("คูหา\u200bสวรรค์", "คูหาสวรรค์"),  # zero-width space from a chat app
        ("\ufeffกลุ่ม\u00adออม\u2060ทรัพย์\u200c", "กลุ่มออมทรัพย์"),  # BOM, soft hyphen, word joiner, ZWNJ
        ("e\u0301", "é"),  # NFC
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # the zero-width joiner stays: emoji need it
    ],
)
def test_text_is_folded_to_the_plain_spelling(typed: str, plain: str) -> None:
    assert folded(typed) == plain
    assert search_form(typed) == plain


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("\u200b\u200b", "blank_text"),
        ("   ", "blank_text"),
        ("\u0e48", "no_letter"),  # a combining mark alone
        ("\u0e31\u0e49", "no_letter"),
        ("ชื่อ\u202eปลอม", "bidi_control"),
        ("ชื่อ\u2066", "bidi_control"),
        ("ชื่อ\x00", "nul_character"),
    ],
)
def test_a_name_that_shows_nothing_or_hides_something_is_refused(text: str, error: str) -> None:
    with pytest.raises(PydanticCustomError) as refused:
        visible(text)
    assert refused.value.type == error


def test_a_name_keeps_its_letters_digits_and_inner_spaces() -> None:
    assert visible("  กองทุน 93 \u200b") == "กองทุน 93"


def test_a_query_drops_what_stored_text_refuses_instead_of_failing() -> None:
    assert search_form("คูหา\u202eสวรรค์\x00") == "คูหาสวรรค์"
