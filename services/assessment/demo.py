"""Demo assessment for development (`make run`): an internal empowerment team (the demo evaluator its lead)
assigned to Phatthalung and Chai Nat, and a round of CODI's 10 success factors over those two provinces,
scored by each province's movement and by the team — one item flagged, reviewed with its dialogue — closed
and published; an outcome team's two published outcomes in Phatthalung and the recommendation they carried
to the province's fisheries office, accepted; a core lessons team's published lessons on the crab bank of
Ban Nam Rap (Trang) and the community welfare fund of Nong Sarai (Kanchanaburi). All through the service's
own rules, so events and results are real. Idempotent: a database that holds the demo round is left as it
is."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.events import EVENT_TYPES
from services.assessment.frameworks.models import Framework
from services.assessment.lessons import service as lessons
from services.assessment.lessons.schemas import LessonCreate
from services.assessment.outcomes import service as outcomes
from services.assessment.outcomes.models import Verdict
from services.assessment.outcomes.schemas import OutcomeCreate, Substantiation
from services.assessment.recommendations import service as recommendations
from services.assessment.recommendations.models import RecommendationStatus, TargetLevel
from services.assessment.recommendations.schemas import RecommendationCreate, StatusChange
from services.assessment.rounds import scoring
from services.assessment.rounds import service as rounds
from services.assessment.rounds.models import Round, ScoredLevel
from services.assessment.rounds.schemas import Review, RoundCreate, Score
from services.assessment.teams import service as teams
from services.assessment.teams.models import MemberRole, TeamKind
from services.assessment.teams.schemas import MemberSet, TeamCreate
from services.common.auth import Principal
from services.common.calendar import bangkok_date, current_fiscal_year
from services.common.clock import utcnow
from services.common.demo import DEMO_MARK, seed_once
from services.common.peers import Peer
from services.common.people import known_people
from services.common.settings import Settings

# each province's own level and the team's, factor by factor (the 10 success factors, in order)
LEVELS = {
    "93": ([2, 2, 3, 2, 3, 2, 2, 3, 2, 2], [2, 2, 3, 2, 3, 2, 2, 3, 2, 2]),
    "18": ([1, 3, 2, 1, 2, 1, 2, 2, 3, 2], [1, 3, 2, 1, 2, 2, 2, 2, 3, 2]),  # continuous_assessment differs
}
DIALOGUE = (
    "คุยร่วมกันแล้ว: จังหวัดมีเวทีทบทวนทุกไตรมาสแต่ยังไม่ได้บันทึกผล ทีมเห็นว่าถึงระดับแข็งแรง ตกลงระดับ 2 "
    "และจะบันทึกผลเวทีทบทวนตั้งแต่รอบหน้า"
)
LESSONS = [
    {
        "title_th": f"ธนาคารปูม้า บ้านน้ำราบ: ชุมชนประมงฟื้นทะเลด้วยกติกาของตนเอง {DEMO_MARK}",
        "context": "ชาวประมงพื้นบ้านบ้านน้ำราบ จังหวัดตรัง เผชิญปูม้าลดลงจากการจับแม่ปูไข่",
        "what_worked": "ธนาคารปูรับฝากแม่ปูไข่ให้ปล่อยลูกปูก่อนขาย กติกาชุมชนห้ามจับปูไข่ในเขตอนุรักษ์ "
        "กองทุนหมุนเวียนรับซื้อแม่ปูจากสมาชิก",
        "what_did_not": "การจดบันทึกปริมาณปูที่จับได้ยังไม่สม่ำเสมอ ทำให้วัดผลได้ยาก",
        "conditions_for_reuse": "มีแกนนำประมงที่ได้รับการยอมรับ เขตอนุรักษ์ที่ทั้งหมู่บ้านตกลงร่วมกัน "
        "และหน่วยงานประมงจังหวัดหนุนเสริม",
        "themes": ["coast", "livelihood", "environment"],
        "area_code": "92",
    },
    {
        "title_th": f"กองทุนสวัสดิการชุมชนตำบลหนองสาหร่าย: ออมวันละบาท ดูแลกันตั้งแต่เกิดจนตาย {DEMO_MARK}",
        "context": "ตำบลหนองสาหร่าย จังหวัดกาญจนบุรี รวมคนทุกวัยเป็นสมาชิกกองทุนสวัสดิการ",
        "what_worked": "สมาชิกออมวันละบาท สมทบจากท้องถิ่นและรัฐ จัดสวัสดิการเกิด แก่ เจ็บ ตาย และเชื่อมกับกลุ่มอาชีพในตำบล",
        "what_did_not": "คนรุ่นใหม่เข้าร่วมน้อย ระบบบัญชียังพึ่งคนไม่กี่คน",
        "conditions_for_reuse": "คณะกรรมการที่โปร่งใส รายงานการเงินต่อสมาชิกทุกปี และผู้นำที่สืบทอดได้",
        "themes": ["welfare", "savings"],
        "area_code": "710911",
    },
]


async def ensure_demo_assessment(settings: Settings, people: Mapping[str, Principal]) -> bool:
    """Create the demo assessment unless it exists; returns whether anything was created."""

    async def seed(session: AsyncSession) -> None:
        await _seed(session, settings, people)

    seeded = select(Round.id).where(col(Round.title_th).endswith(DEMO_MARK))
    return await seed_once(settings, service="assessment", event_types=EVENT_TYPES, seeded=seeded, seed=seed)


async def _seed(session: AsyncSession, settings: Settings, people: Mapping[str, Principal]) -> None:
    national, evaluator = people["demo-national"], people["demo-evaluator"]
    team = await _team(
        session, national, evaluator, TeamKind.internal_empowerment, "ทีมประเมินภายใน", ["93", "18"]
    )
    core = await _team(session, national, evaluator, TeamKind.core_lessons, "ทีมถอดบทเรียน", ["92", "71"])
    await _round(session, settings, people, team)
    await _outcomes_to_policy(session, settings, people)
    for lesson in LESSONS:
        drafted = await lessons.create(
            session,
            evaluator,
            LessonCreate.model_validate(
                {**lesson, "fiscal_year": current_fiscal_year() - 1, "team_id": core}
            ),
        )
        await lessons.publish(session, evaluator, drafted.id)


OUTCOMES = [
    {
        "title_th": f"อบต.คูหาสวรรค์บรรจุธนาคารปูม้าในแผนพัฒนาท้องถิ่น {DEMO_MARK}",
        "description": "สภา อบต. มีมติจัดงบประมาณหนุนธนาคารปูม้าและเขตอนุรักษ์ต่อเนื่องสามปี",
        "actor_name": "องค์การบริหารส่วนตำบลคูหาสวรรค์",
        "actor_kind": "local_government",
        "area_code": "930101",
        "intended": True,
        "positive": True,
        "significance": "ท้องถิ่นรับงานของชุมชนเป็นงานของตน งานจึงไม่หยุดเมื่อโครงการจบ",
        "contribution": "เวทีกลางจังหวัดนำข้อมูลธนาคารปูที่ชุมชนเก็บเองเสนอต่อสภา อบต.",
        "change_agent": "สภาองค์กรชุมชนตำบลคูหาสวรรค์",
    },
    {
        "title_th": f"ประมงจังหวัดพัทลุงร่วมเวทีวางแผนกับขบวนองค์กรชุมชนทุกไตรมาส {DEMO_MARK}",
        "description": "หน่วยงานเข้าร่วมเวทีกลางจังหวัดและใช้ข้อมูลชุมชนจัดลำดับพื้นที่สนับสนุน",
        "actor_name": "สำนักงานประมงจังหวัดพัทลุง",
        "actor_kind": "agency",
        "area_code": "93",
        "intended": False,
        "positive": True,
        "significance": "ความสัมพันธ์ระหว่างหน่วยงานกับชุมชนเปลี่ยนจากผู้รับเป็นหุ้นส่วน",
        "contribution": "ทีมหนุนเสริมชวนหน่วยงานเข้าร่วมการประเมินภายในของจังหวัด",
        "change_agent": "ขบวนองค์กรชุมชนจังหวัดพัทลุง",
    },
]


async def _outcomes_to_policy(
    session: AsyncSession, settings: Settings, people: Mapping[str, Principal]
) -> None:
    """An outcome team's two published outcomes in Phatthalung and the recommendation they carried to the
    province's fisheries office, accepted."""
    national, evaluator, phatthalung = (
        people["demo-national"],
        people["demo-evaluator"],
        people["demo-provincial-93"],
    )
    team = await _team(session, national, evaluator, TeamKind.outcome, "ทีมประเมินผลลัพธ์", ["93"])
    plans = Peer(settings, caller="assessment", name="plans", base_url=settings.plans_url)  # no evidence here
    published = []
    occurred = bangkok_date(utcnow()) - timedelta(days=60)
    for fields in OUTCOMES:
        data = OutcomeCreate.model_validate({**fields, "occurred_on": occurred, "team_id": team})
        drafted = await outcomes.create(session, evaluator, plans, data)
        verdict = Substantiation(
            substantiator="คณะนักวิชาการอิสระ (สาธิต)", verdict=Verdict.agrees, note="ตรงกับบันทึกการประชุม"
        )
        await outcomes.substantiate(session, evaluator, drafted.id, verdict)
        published.append((await outcomes.publish(session, evaluator, drafted.id)).id)
    proposed = await recommendations.create(
        session,
        phatthalung,
        RecommendationCreate(
            title_th=f"บรรจุธนาคารปูม้าและเขตอนุรักษ์ชุมชนในแผนพัฒนาจังหวัดพัทลุง {DEMO_MARK}",
            body="ขยายผลธนาคารปูม้าที่ท้องถิ่นรับเป็นงานของตนสู่ทุกตำบลชายฝั่งทะเลสาบ",
            target_level=TargetLevel.province,
            target_agency="สำนักงานประมงจังหวัดพัทลุง",
            area_code="93",
            outcome_ids=published,
        ),
    )
    for status, days, note in (
        (RecommendationStatus.submitted, 30, "ยื่นข้อเสนอในเวทีกลางจังหวัด"),
        (RecommendationStatus.accepted, 10, "ประมงจังหวัดรับข้อเสนอเข้าแผนปีถัดไป"),
    ):
        step = StatusChange(status=status, on=bangkok_date(utcnow()) - timedelta(days=days), note=note)
        await recommendations.move(session, phatthalung, proposed.id, step)


async def _team(
    session: AsyncSession, national: Principal, lead: Principal, kind: TeamKind, name: str, areas: list[str]
) -> uuid.UUID:
    team = await teams.create(
        session, national, TeamCreate(kind=kind, name=f"{name} {DEMO_MARK}", area_code="TH")
    )
    await teams.set_member(
        session,
        national,
        team.id,
        uuid.UUID(lead.subject),
        MemberSet(role=MemberRole.lead),
        known_people([lead], within=True),  # the seeding runs before the gateway answers
    )
    for area in areas:
        await teams.assign(session, national, team.id, area)
    return team.id


async def _round(
    session: AsyncSession, settings: Settings, people: Mapping[str, Principal], team_id: uuid.UUID
) -> None:
    national, evaluator = people["demo-national"], people["demo-evaluator"]
    ten = (await session.exec(select(Framework).where(Framework.key == "codi-10-factors"))).one()
    today = bangkok_date(utcnow())
    planned = await rounds.create(
        session,
        national,
        RoundCreate(
            title_th=f"ประเมินปัจจัยความสำเร็จ 10 ประการ ปี {current_fiscal_year()} {DEMO_MARK}",
            framework_id=ten.id,
            fiscal_year=current_fiscal_year(),
            area_code="TH",
            scored_level=ScoredLevel.province,
            areas=list(LEVELS),
            team_id=team_id,
            opens_on=today - timedelta(days=30),
            closes_on=today + timedelta(days=30),
        ),
    )
    await rounds.open_round(session, national, planned.id)
    plans = Peer(settings, caller="assessment", name="plans", base_url=settings.plans_url)  # no evidence here
    for province, (own, theirs) in LEVELS.items():
        community = people[f"demo-provincial-{province}"]
        for criterion, self_level, team_level in zip(ten.criteria, own, theirs, strict=True):
            code = criterion["code"]
            await scoring.score(
                session, community, plans, planned.id, province, code, "self", Score(level=self_level)
            )
            await scoring.score(
                session, evaluator, plans, planned.id, province, code, "team", Score(level=team_level)
            )
            await scoring.submit(session, evaluator, planned.id, province, code)
            note = DIALOGUE if self_level != team_level else None
            await scoring.review(session, evaluator, planned.id, province, code, Review(dialogue_note=note))
    await rounds.close_round(session, national, planned.id)
    await rounds.publish_round(session, national, planned.id)
