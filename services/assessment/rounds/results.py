"""A round's results. Levels are ordinal, so they roll up as counts per level and medians — never a mean of
level numbers: per criterion over the areas with its agreed level, and overall over the areas with every
criterion's (an area's overall level is the weighted median of its criteria). Coverage is areas scored over
areas in the round; change is against the previous published round of the same framework over the same
area; progress toward 2579 is the share of the round's tambons at "strong" or above.

The ranking orders provinces by readiness for the next fiscal year's expansion: each criterion contributes
weight / Σ weights × (the province's tambons at strong or above on it / its tambons scored on it), in
hundredths of a point out of 100, and the score is the sum of the contributions — so the order is
reproducible from the stored levels and explained by them. Ties: higher coverage first, then more tambons
at the top level overall, then the lower province code."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.frameworks.models import Framework
from services.assessment.frameworks.repository import FRAMEWORKS
from services.assessment.rounds import repository
from services.assessment.rounds.models import ItemStatus, Round, RoundStatus
from services.assessment.rounds.repository import ROUNDS
from services.assessment.rounds.schemas import (
    Change,
    Contribution,
    CriterionResult,
    CriterionShown,
    GroupResult,
    Progress,
    Ranked,
    Ranking,
    Results,
    Spread,
)
from services.assessment.rounds.service import readable
from services.common.auth import Principal
from services.common.geo import region_of_province

Grouping = Literal["tambon", "province", "region", "nation"]
TARGET_YEAR = 2579  # strong communities everywhere (ชุมชนเข้มแข็งทุกพื้นที่ภายในปี 2579)
_DIGITS: dict[Grouping, int] = {"tambon": 6, "province": 2, "region": 2, "nation": 0}
Counts = dict[int, int]
Scale = tuple[int, int]  # (levels on the scale, the level counted as strong)


async def results(
    session: AsyncSession, principal: Principal | None, round_id: uuid.UUID, grouped_by: Grouping
) -> Results:
    """The round's results grouped by tambon, province, region or the nation (public once published; its
    staff and team see the reviewed levels before)."""
    row, framework, statuses = await _counted(session, principal, round_id)
    return await counted_results(session, row, framework, statuses, grouped_by)


async def counted_results(
    session: AsyncSession, row: Round, framework: Framework, statuses: list[str], grouped_by: Grouping
) -> Results:
    """The results of the items in `statuses` (the reader already checked)."""
    if grouped_by == "tambon" and row.scored_level.value == "province":
        grouped_by = "province"  # a group is never finer than the areas scored: `grouped_by` says so
    tally = await _tally(session, row, framework, statuses, grouped_by)
    previous = await repository.previous_published(session, row, framework.family_id)
    before = None
    if previous is not None:
        before_framework = await FRAMEWORKS.get(session, previous.framework_id)
        before = await _tally(session, previous, before_framework, [ItemStatus.published.value], grouped_by)
    strong = _strong_from(framework)
    scale = (len(framework.levels), strong)
    criteria = framework.criteria

    def group(code: str, in_round: int) -> GroupResult:
        overall = _spread(tally.overall.get(code, {}), scale)
        result = GroupResult(
            area_code=code,
            areas_in_round=in_round,
            areas_scored=overall.counted,
            coverage=round(overall.counted / in_round, 4) if in_round else 0.0,
            overall=overall,
            criteria=[_criterion(c, tally.by_criterion.get((code, c["code"]), {}), scale) for c in criteria],
        )
        if before is not None:
            result.change = _change(_spread(before.overall.get(code, {}), scale), overall)
        return result

    in_round = _areas_by_group(row.areas, grouped_by)
    whole = _whole(tally, row, scale, criteria, before)
    return Results(
        round_id=row.id,
        framework_id=framework.id,
        framework_version_no=framework.version_no,
        grouped_by=grouped_by,
        levels=[level["label_th"] for level in framework.levels],
        criteria=[
            CriterionShown(code=c["code"], title_th=c["title_th"], weight=int(c.get("weight", 1)))
            for c in criteria
        ],
        strong_from=strong,
        counted=statuses[-1],
        previous_round_id=previous.id if previous else None,
        whole=whole,
        groups=[group(code, count) for code, count in sorted(in_round.items())],
        progress=_progress(row, whole) if row.scored_level.value == "tambon" else None,
    )


async def ranking(session: AsyncSession, principal: Principal | None, round_id: uuid.UUID) -> Ranking:
    """Provinces by readiness for the next fiscal year's expansion, each criterion's contribution shown."""
    row, framework, statuses = await _counted(session, principal, round_id)
    return await counted_ranking(session, row, framework, statuses)


async def counted_ranking(
    session: AsyncSession, row: Round, framework: Framework, statuses: list[str]
) -> Ranking:
    """The ranking from the items in `statuses` (the reader already checked)."""
    tally = await _tally(session, row, framework, statuses, "province")
    strong, top = _strong_from(framework), len(framework.levels)
    weights = {c["code"]: int(c.get("weight", 1)) for c in framework.criteria}
    total_weight = sum(weights.values())
    in_round = _areas_by_group(row.areas, "province")
    ranked: list[tuple[tuple[int, float, int, str], Ranked]] = []
    for province, count in in_round.items():
        contributions = []
        for code, weight in weights.items():
            counts = tally.by_criterion.get((province, code), {})
            counted, at_strong = sum(counts.values()), _at_or_above(counts, strong)
            points = round(10000 * weight * at_strong / (total_weight * counted)) if counted else 0
            share = round(at_strong / counted, 4) if counted else None
            contributions.append(
                Contribution(code=code, weight=weight, strong_share=share, contribution=points)
            )
        overall = tally.overall.get(province, {})
        coverage = round(sum(overall.values()) / count, 4) if count else 0.0
        score = sum(c.contribution for c in contributions)
        at_top = overall.get(top, 0)
        entry = Ranked(
            rank=0,
            province_code=province,
            score=score,
            coverage=coverage,
            tambons_at_top=at_top,
            contributions=contributions,
        )
        ranked.append(((-score, -coverage, -at_top, province), entry))
    ranked.sort(key=lambda pair: pair[0])
    for rank, (_, entry) in enumerate(ranked, start=1):
        entry.rank = rank
    return Ranking(
        round_id=row.id,
        for_fiscal_year=row.fiscal_year + 1,
        method=(
            "score = Σ contributions; contribution = round(10000 × weight × tambons at strong or above on "
            "the criterion / (Σ weights × tambons scored on it)); ties: higher coverage, then more tambons "
            "at the top level overall, then the lower province code"
        ),
        provinces=[entry for _, entry in ranked],
    )


class _Tally:
    """Counts per level: per (group, criterion) and, for areas with every criterion, overall per group."""

    def __init__(self) -> None:
        self.by_criterion: dict[tuple[str, str], Counts] = defaultdict(lambda: defaultdict(int))
        self.overall: dict[str, Counts] = defaultdict(lambda: defaultdict(int))


async def _tally(
    session: AsyncSession, row: Round, framework: Framework, statuses: list[str], grouped_by: Grouping
) -> _Tally:
    digits = _DIGITS[grouped_by]
    weights = {c["code"]: int(c.get("weight", 1)) for c in framework.criteria}
    tally = _Tally()
    for grp, criterion, level, n in await repository.tally(session, row.id, statuses, digits, weights):
        if criterion is None:
            tally.overall[_group(grp, grouped_by)][level] += n
        else:
            tally.by_criterion[(_group(grp, grouped_by), criterion)][level] += n
    return tally


async def _counted(
    session: AsyncSession, principal: Principal | None, round_id: uuid.UUID
) -> tuple[Round, Framework, list[str]]:
    """The round, its framework and the item statuses counted for this reader: published ones for the public
    (a published round only); the reviewed ones too for its staff and team."""
    row = await ROUNDS.get(session, round_id)
    await readable(session, principal, row)
    framework = await FRAMEWORKS.get(session, row.framework_id)
    return row, framework, counted_statuses(row)


def counted_statuses(row: Round) -> list[str]:
    """A published round counts its published items; before that, its readers see the reviewed ones too."""
    if row.status is RoundStatus.published:
        return [ItemStatus.published.value]
    return [ItemStatus.published.value, ItemStatus.reviewed.value]


def _group(grp: str, grouped_by: Grouping) -> str:
    if grouped_by == "nation":
        return "TH"
    if grouped_by == "region":
        return region_of_province(grp) or grp
    return grp


def _areas_by_group(areas: Iterable[str], grouped_by: Grouping) -> dict[str, int]:
    digits = _DIGITS[grouped_by]
    counts: dict[str, int] = defaultdict(int)
    for prefix, n in Counter(code[:digits] for code in areas).items():
        counts[_group(prefix, grouped_by)] += n
    return dict(counts)


def _strong_from(framework: Framework) -> int:
    """The upper half of the scale: level 2 of the 3-level strength scale (แข็งแรง), 3 of 5, 3 of 4."""
    return len(framework.levels) // 2 + 1


def _at_or_above(counts: Mapping[int, int], level: int) -> int:
    return sum(n for at, n in counts.items() if at >= level)


def _criterion(criterion: Mapping[str, Any], counts: Mapping[int, int], scale: Scale) -> CriterionResult:
    return CriterionResult(code=criterion["code"], **_spread_fields(counts, scale))


def _spread(counts: Mapping[int, int], scale: Scale) -> Spread:
    return Spread(**_spread_fields(counts, scale))


def _spread_fields(counts: Mapping[int, int], scale: Scale) -> dict[str, Any]:
    levels, strong = scale
    counted = sum(counts.values())
    median, reached = None, 0
    for level in sorted(counts):
        reached += counts[level]
        if 2 * reached >= counted:
            median = level
            break
    at_strong = _at_or_above(counts, strong)
    return {
        "distribution": [counts.get(level, 0) for level in range(1, levels + 1)],
        "counted": counted,
        "median": median if counted else None,
        "strong_or_above": at_strong,
        "strong_share": round(at_strong / counted, 4) if counted else None,
    }


def _change(before: Spread, now: Spread) -> Change:
    return Change(
        previous_median=before.median,
        median_change=None if before.median is None or now.median is None else now.median - before.median,
        previous_strong_share=before.strong_share,
        strong_share_change=(
            None
            if before.strong_share is None or now.strong_share is None
            else round(now.strong_share - before.strong_share, 4)
        ),
    )


def _whole(
    tally: _Tally, row: Round, scale: Scale, criteria: list[dict[str, Any]], before: _Tally | None
) -> GroupResult:
    """The whole round as one row (every group's counts summed)."""
    overall: Counts = defaultdict(int)
    for counts in tally.overall.values():
        for level, n in counts.items():
            overall[level] += n
    spread = _spread(overall, scale)
    by_criterion: dict[str, Counts] = defaultdict(lambda: defaultdict(int))
    for (_, code), counts in tally.by_criterion.items():
        for level, n in counts.items():
            by_criterion[code][level] += n
    result = GroupResult(
        area_code=row.area_code,
        areas_in_round=len(row.areas),
        areas_scored=spread.counted,
        coverage=round(spread.counted / len(row.areas), 4) if row.areas else 0.0,
        overall=spread,
        criteria=[_criterion(c, by_criterion.get(c["code"], {}), scale) for c in criteria],
    )
    if before is not None:
        previous: Counts = defaultdict(int)
        for counts in before.overall.values():
            for level, n in counts.items():
                previous[level] += n
        result.change = _change(_spread(previous, scale), spread)
    return result


def _progress(row: Round, whole: GroupResult) -> Progress:
    tambons = len(row.areas)
    at_strong = whole.overall.strong_or_above
    return Progress(
        target_year=TARGET_YEAR,
        years_left=max(TARGET_YEAR - row.fiscal_year, 0),
        tambons_in_round=tambons,
        tambons_strong_or_above=at_strong,
        share=round(at_strong / tambons, 4) if tambons else 0.0,
    )
