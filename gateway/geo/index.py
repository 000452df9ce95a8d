"""The tambon name index: every one of the 7,436 tambons, searchable by a partial Thai or English name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import geothai
from geothai.types import District, Province, Subdistrict

from services.common.text import search_form

# spaces and the marks English names differ by ("Ko Pha-ngan", "Khlong Nueng"), ignored when matching
_MARKS = re.compile(r"[\s.'’-]")
# a level word people type before a tambon's name, ignored at the start of a query
_LEVEL_WORD = re.compile(r"^(?:ตำบล|แขวง|ต\.)")


@dataclass(frozen=True, slots=True)
class TambonEntry:
    tambon: Subdistrict
    district: District
    province: Province
    keys: tuple[str, ...]


def search_key(text: str) -> str:
    """Thai or English text in the form names are compared in: folded as stored text is (zero-width
    characters dropped, a decomposed sara am composed), case-folded, without spaces or marks."""
    return _MARKS.sub("", search_form(text).casefold())


@cache
def tambon_index() -> tuple[TambonEntry, ...]:
    """Built once per process (a few MB); the gateway warms it at startup."""
    entries = []
    for province in geothai.provinces():
        for district in geothai.districts(province.code):
            for tambon in geothai.subdistricts(district.code):
                keys = (search_key(tambon.name_th), search_key(tambon.name_en))
                entries.append(TambonEntry(tambon, district, province, keys))
    return tuple(entries)


def search_tambons(query: str, limit: int) -> list[TambonEntry]:
    """Tambons whose Thai or English name contains `query`: exact names first, then prefixes, by code."""
    wanted = search_key(_LEVEL_WORD.sub("", search_form(query)))
    if not wanted:
        return []
    ranked: list[tuple[int, str, TambonEntry]] = []
    for entry in tambon_index():
        if wanted in entry.keys:
            rank = 0
        elif any(key.startswith(wanted) for key in entry.keys):
            rank = 1
        elif any(wanted in key for key in entry.keys):
            rank = 2
        else:
            continue
        ranked.append((rank, entry.tambon.code, entry))
    ranked.sort(key=lambda item: item[:2])
    return [entry for _, _, entry in ranked[:limit]]


@cache
def _tambons_by_district() -> dict[str, tuple[TambonEntry, ...]]:
    grouped: dict[str, list[TambonEntry]] = {}
    for entry in tambon_index():
        grouped.setdefault(entry.district.code, []).append(entry)
    return {code: tuple(entries) for code, entries in grouped.items()}


def tambons_of_district(district_code: str) -> list[TambonEntry]:
    return list(_tambons_by_district().get(district_code, ()))
