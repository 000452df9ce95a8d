"""Bilingual text: every message a person reads exists in English and Thai."""

from __future__ import annotations

from typing import Literal, NamedTuple

Language = Literal["en", "th"]


class Text(NamedTuple):
    en: str
    th: str

    def __call__(self, language: Language) -> str:
        return self.th if language == "th" else self.en

    def format(self, **values: object) -> Text:
        return Text(self.en.format(**values), self.th.format(**values))


def preferred_language(accept_language: str | None) -> Language:
    """Pick Thai or English from an Accept-Language header, honouring q-values."""
    if not accept_language:
        return "en"
    best: tuple[float, Language] = (0.0, "en")
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("th", "en"):
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        # earlier tags win ties, as browsers intend
        score = quality - position * 1e-6
        if score > best[0]:
            best = (score, "th" if primary == "th" else "en")
    return best[1]
