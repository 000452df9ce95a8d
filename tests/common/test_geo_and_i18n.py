"""Area coverage, known DOPA codes, language choice and Thai validation wording: pure functions."""

from __future__ import annotations

import geothai
import pytest

from services.common.geo import covers, is_known_area
from services.common.i18n import preferred_language
from services.common.validation_text import thai_validation_message


@pytest.mark.parametrize("area", ["TH", "south", "north", "93", "10", "9301", "930101", "570101"])
def test_a_national_grant_covers_every_area(area: str) -> None:
    assert covers("TH", area)


@pytest.mark.parametrize("area", ["93", "9301", "930101", "90", "south"])
def test_the_south_region_covers_its_provinces_districts_and_tambons(area: str) -> None:
    assert covers("south", area)


@pytest.mark.parametrize("area", ["18", "1801", "57", "north", "TH"])
def test_the_south_region_does_not_cover_other_regions_or_the_country(area: str) -> None:
    assert not covers("south", area)


@pytest.mark.parametrize("area", ["93", "9301", "930101", "9302", "930201"])
def test_a_province_grant_covers_itself_and_everything_inside_it(area: str) -> None:
    assert covers("93", area)


@pytest.mark.parametrize("area", ["9401", "94", "south", "TH", "abc"])
def test_a_province_grant_does_not_cover_neighbours_or_larger_areas(area: str) -> None:
    assert not covers("93", area)


def test_a_district_grant_covers_its_tambons_only() -> None:
    assert covers("9301", "930101")
    assert covers("9301", "9301")
    assert not covers("9301", "930201")
    assert not covers("9301", "93")


def test_a_tambon_grant_covers_only_that_tambon() -> None:
    assert covers("930101", "930101")
    assert not covers("930101", "930103")
    assert not covers("930101", "9301")


def test_every_one_of_the_77_provinces_is_a_known_area() -> None:
    provinces = [province.code for province in geothai.provinces()]

    assert len(provinces) == 77
    assert all(is_known_area(code) for code in provinces)


@pytest.mark.parametrize("code", ["TH", "south", "bangkok-east", "93", "9301", "930101", "10"])
def test_official_codes_regions_and_the_country_are_known_areas(code: str) -> None:
    assert is_known_area(code)


@pytest.mark.parametrize(
    "code", ["999999", "930102", "99", "9999", "939999", "", "th", "South", "9", "93010"]
)
def test_codes_outside_the_official_list_are_unknown_areas(code: str) -> None:
    assert not is_known_area(code)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("th", "th"),
        ("th-TH", "th"),
        ("th-TH,en;q=0.5", "th"),
        ("en,th;q=0.9", "en"),
        ("en;q=0.4,th;q=0.8", "th"),
        ("fr", "en"),
        ("fr,th;q=0.1", "th"),
        ("", "en"),
        (None, "en"),
        ("th;q=bogus,en;q=0.1", "en"),
    ],
)
def test_the_preferred_language_follows_accept_language_q_values(header: str | None, language: str) -> None:
    assert preferred_language(header) == language


def test_a_known_validation_error_reads_in_thai_with_its_values_filled_in() -> None:
    assert thai_validation_message("string_too_long", {"max_length": 300}, "fallback") == (
        "ต้องยาวไม่เกิน 300 ตัวอักษร"
    )
    assert thai_validation_message("unknown_area", {"code": "99"}, "fallback") == (
        "ไม่พบรหัสพื้นที่ 99 ในบัญชีพื้นที่ทางการ (DOPA)"
    )


def test_a_list_of_allowed_values_is_joined_with_the_thai_word_for_or() -> None:
    message = thai_validation_message("enum", {"expected": "'tambon' or 'project'"}, "fallback")

    assert message == "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: 'tambon' หรือ 'project'"


def test_an_unknown_validation_error_keeps_the_english_fallback() -> None:
    assert thai_validation_message("some_new_error", {}, "Value error, nope") == "Value error, nope"


def test_a_template_whose_value_is_missing_still_gives_thai_without_placeholders() -> None:
    message = thai_validation_message("string_too_short", {}, "fallback")

    assert message == "ต้องยาวอย่างน้อย"
    assert "{" not in message
