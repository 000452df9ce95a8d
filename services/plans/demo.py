"""Demo plans for development (`make run`): the people's strategies of Phatthalung, Chiang Rai, Chai Nat and
Mae Hong Son, each with a goal and a long plan; each province's one project of the current fiscal year with
its activities (Phatthalung's crab bank in Chong Thanon among them); Phatthalung's plans with joint
budgets, its shared agenda and the central-space forum that adopted it, with resolutions and actions;
indicators with values — Chai Nat's TPMAP households through the whole chain (approved, the tambon
verified, the province certified) and Phatthalung's secure-housing share approved but not yet verified. All
made through the service's own rules, so rollups, stamps and events are real. Idempotent: a database that
already holds the demo projects is left as it is."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

import structlog
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.calendar import bangkok_date, current_fiscal_year
from services.common.clock import utcnow
from services.common.demo import DEMO_MARK, seed_once
from services.common.settings import Settings
from services.plans.agendas import service as agendas
from services.plans.agendas.models import Theme
from services.plans.agendas.schemas import AgendaCreate
from services.plans.agreements import service as agreements
from services.plans.agreements.models import SignatoryRole
from services.plans.agreements.schemas import AgreementCreate, SignatoryCreate
from services.plans.events import EVENT_TYPES
from services.plans.forums import service as forums
from services.plans.forums.schemas import ActionCreate, ForumCreate, ResolutionCreate
from services.plans.indicators import service as indicators
from services.plans.indicators.models import Measure
from services.plans.indicators.schemas import IndicatorCreate, TargetIn, TargetsSet
from services.plans.partners import service as partners
from services.plans.partners.models import Sector
from services.plans.partners.schemas import PartnerCreate
from services.plans.projects import service as projects
from services.plans.projects.models import ActivityIssue, Project
from services.plans.projects.repository import PROJECTS
from services.plans.projects.schemas import ActivityCreate, MilestoneCreate, ProjectCreate
from services.plans.reporting import service as reporting
from services.plans.reporting import verification
from services.plans.reporting.schemas import UpdateCreate
from services.plans.strategies import service as strategies
from services.plans.strategies.models import Horizon, PlanStatus
from services.plans.strategies.schemas import BudgetLine, GoalCreate, PlanCreate, PlanPublic, StrategyCreate

TPMAP_DIMENSIONS = ["health", "living", "education", "income", "access"]
PROVINCES = {
    "93": ("พัทลุงมหานครแห่งความสุข", "เมืองแห่งความสุขที่ประชาชนเป็นเจ้าของ ภายในปี 2579"),
    "57": ("เชียงรายล้านนาแห่งความสุข", "ล้านนาแห่งความสุข ชุมชนจัดการตนเอง"),
    "18": ("ชัยนาทเมืองน่าอยู่ ข้อมูลเป็นของชุมชน", "ใช้ข้อมูล TPMAP ที่ชุมชนยืนยันเอง นำสู่แผนจังหวัด"),
    "58": ("แม่ฮ่องสอนเมืองสามหมอก พึ่งตนเอง", "ชุมชนบนพื้นที่สูงมั่นคงในที่ดินและอาหาร"),
}
log = structlog.get_logger()


async def ensure_demo_plans(settings: Settings, people: Mapping[str, Principal]) -> bool:
    """Create the demo plans unless they exist; returns whether anything was created."""

    async def seed(session: AsyncSession) -> None:
        await _seed(session, people)

    seeded = select(Project.id).where(col(Project.title_th).endswith(DEMO_MARK))
    return await seed_once(settings, service="plans", event_types=EVENT_TYPES, seeded=seeded, seed=seed)


async def _seed(session: AsyncSession, people: Mapping[str, Principal]) -> None:
    long_plans: dict[str, PlanPublic] = {}
    national, year = people["demo-national"], current_fiscal_year()
    for province, (title, vision) in PROVINCES.items():
        strategy = await strategies.create(
            session, national, StrategyCreate(province_code=province, title_th=title, vision=vision)
        )
        long_plans[province] = await _long_plan(session, national, strategy.id, year)
    phatthalung = await _project(session, people["demo-provincial-93"], "93", year, "พัทลุงมหานครแห่งความสุข")
    for area, title, issue, partner, baht, weight, progress in (
        ("930305", "ธนาคารปูม้าชุมชนบ้านแหลมจองถนน", ActivityIssue.crab_bank, "กลุ่มประมงพื้นบ้าน", 40_000, 2, 60),
        ("93", "บ้านมั่นคงชนบท 120 ครัวเรือน", ActivityIssue.housing, "พอช.", 1_500_000, 5, 35),
        ("930101", "กองทุนสวัสดิการชุมชนตำบลคูหาสวรรค์", ActivityIssue.welfare, "กองทุนสวัสดิการ", 120_000, 3, 80),
    ):
        await projects.add_activity(
            session,
            people["demo-provincial-93"],
            phatthalung.id,
            ActivityCreate(
                area_code=area,
                title_th=title,
                issue=issue,
                responsible_partner=partner,
                budget_satang=baht * 100,
                weight=weight,
                progress_percent=progress,
            ),
        )
    signed = await _agreement(session, people, phatthalung)
    await projects.add_milestone(
        session,
        people["demo-provincial-93"],
        phatthalung.id,
        MilestoneCreate(
            title_th="ส่งมอบบ้านมั่นคงชุดแรก 40 หลัง", due_on=bangkok_date(utcnow()) + timedelta(days=90)
        ),
    )
    await _phatthalung_movement(session, people, phatthalung, long_plans["93"], signed, year)
    for province, user in (
        ("57", "demo-provincial-57"),
        ("18", "demo-provincial-18"),
        ("58", "demo-national"),
    ):
        await _project(session, people[user], province, year, PROVINCES[province][0])
    await _chainat_tpmap(session, people, year)
    await _phatthalung_housing(session, people, year)


async def _agreement(
    session: AsyncSession, people: Mapping[str, Principal], project: Project
) -> dict[Sector, uuid.UUID]:
    """Phatthalung's one agreement, signed by CODI (national), the province's health assembly, its
    provincial administration and a university."""
    national, province = people["demo-national"], people["demo-provincial-93"]
    signed: dict[Sector, uuid.UUID] = {}
    agreement = await agreements.create(
        session,
        province,
        AgreementCreate(
            project_id=project.id,
            title_th=f"บันทึกข้อตกลงความร่วมมือ พัทลุงมหานครแห่งความสุข {DEMO_MARK}",
            summary="ภาคีร่วมกันวางแผน ใช้ข้อมูลชุดเดียวกัน และร่วมงบประมาณตามวาระร่วมของจังหวัด",
        ),
    )
    for author, area, sector, name, role in (
        (national, "TH", Sector.government, "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", SignatoryRole.lead),
        (province, "93", Sector.health_assembly, "สมัชชาสุขภาพจังหวัดพัทลุง", SignatoryRole.signatory),
        (province, "93", Sector.local_government, "องค์การบริหารส่วนจังหวัดพัทลุง", SignatoryRole.signatory),
        (province, "93", Sector.academia, "มหาวิทยาลัยทักษิณ", SignatoryRole.supporter),
    ):
        partner = await partners.create(
            session, author, PartnerCreate(name_th=f"{name} {DEMO_MARK}", sector=sector, area_code=area)
        )
        await agreements.add_signatory(
            session, province, agreement.id, SignatoryCreate(partner_id=partner.id, role=role)
        )
        signed[sector] = partner.id
    return signed


async def _project(session: AsyncSession, author: Principal, province: str, year: int, title: str) -> Project:
    created = await projects.create(
        session,
        author,
        ProjectCreate(
            province_code=province,
            fiscal_year=year,
            title_th=f"{title} {DEMO_MARK}",
            summary="หนึ่งจังหวัด หนึ่งโครงการ: โครงการบูรณาการของขบวนองค์กรชุมชนและภาคีในจังหวัด",
        ),
    )
    return await PROJECTS.get(session, created.id)


async def _chainat_tpmap(session: AsyncSession, people: Mapping[str, Principal], year: int) -> None:
    """TPMAP target households in Nai Mueang, Chai Nat: entered by the tambon's leader, approved by the
    province, verified by the tambon and certified by the province."""
    province, leader = people["demo-provincial-18"], people["demo-tambon-180101"]
    indicator = await indicators.create(
        session,
        province,
        IndicatorCreate(
            area_code="18",
            title_th=f"ครัวเรือนเป้าหมาย TPMAP ที่ได้รับการดูแล {DEMO_MARK}",
            title_en="TPMAP target households reached (demo)",
            unit_th="ครัวเรือน",
            measure=Measure.unit,
            dimensions=TPMAP_DIMENSIONS,
        ),
    )
    await indicators.set_targets(
        session,
        province,
        indicator.id,
        TargetsSet(
            targets=[TargetIn(area_code="18", period=str(year), dimension="income", value=Decimal(300))]
        ),
    )
    for dimension, households in zip(TPMAP_DIMENSIONS, (42, 57, 18, 96, 23), strict=True):
        entered = await reporting.create_update(
            session,
            leader,
            indicator.id,
            UpdateCreate(
                area_code="180101",
                period=str(year),
                dimension=dimension,
                value=Decimal(households),
                note="สำรวจร่วมกับ อสม. และผู้นำชุมชน",
                submit=True,
            ),
        )
        await reporting.approve_update(session, province, indicator.id, entered.id)
    await verification.verify_tambon(session, leader, indicator.id, "180101", str(year))
    await verification.certify(session, province, indicator.id, "18", str(year))


async def _phatthalung_housing(session: AsyncSession, people: Mapping[str, Principal], year: int) -> None:
    province, leader = people["demo-provincial-93"], people["demo-tambon-930101"]
    indicator = await indicators.create(
        session,
        province,
        IndicatorCreate(
            area_code="93",
            title_th=f"สัดส่วนครัวเรือนที่มีที่อยู่อาศัยมั่นคง {DEMO_MARK}",
            measure=Measure.percent,
        ),
    )
    entered = await reporting.create_update(
        session,
        leader,
        indicator.id,
        UpdateCreate(
            area_code="930101",
            period=str(year),
            numerator=Decimal(212),
            denominator=Decimal(530),
            note="ข้อมูลจากการสำรวจบ้านมั่นคงชนบท",
            submit=True,
        ),
    )
    await reporting.approve_update(session, province, indicator.id, entered.id)


async def _long_plan(
    session: AsyncSession, author: Principal, strategy_id: uuid.UUID, year: int
) -> PlanPublic:
    """Each strategy's first goal and its long plan, to the horizon."""
    goal = await strategies.add_goal(
        session,
        author,
        strategy_id,
        GoalCreate(title_th="ชุมชนจัดการตนเอง", description="ขบวนองค์กรชุมชนเป็นแกนในการพัฒนาจังหวัด"),
    )
    return await strategies.create_plan(
        session,
        author,
        PlanCreate(
            goal_id=goal.id,
            title_th=f"แผนระยะยาวสู่จังหวัดจัดการตนเอง {DEMO_MARK}",
            horizon=Horizon.long,
            start_fiscal_year=year,
            status=PlanStatus.adopted,
        ),
    )


async def _phatthalung_movement(
    session: AsyncSession,
    people: Mapping[str, Principal],
    project: Project,
    long_plan: PlanPublic,
    partner: Mapping[Sector, uuid.UUID],
    year: int,
) -> None:
    """Phatthalung's plans with their joint budgets, its shared agenda, and the central-space forum that
    adopted it, with resolutions and follow-up actions (one already overdue)."""
    author = people["demo-provincial-93"]
    housing = await strategies.create_plan(
        session,
        author,
        PlanCreate(
            goal_id=long_plan.goal_id,
            title_th=f"แผนปฏิบัติการบ้านมั่นคงชนบท ปี {year} {DEMO_MARK}",
            horizon=Horizon.short,
            start_fiscal_year=year,
            status=PlanStatus.adopted,
            budget_lines=[
                BudgetLine(
                    partner_id=partner[Sector.government], amount_satang=150_000_000, purpose="ซ่อมสร้างบ้าน"
                ),
                BudgetLine(
                    partner_id=partner[Sector.local_government],
                    amount_satang=30_000_000,
                    purpose="สาธารณูปโภค",
                ),
            ],
        ),
    )
    coast = await strategies.create_plan(
        session,
        author,
        PlanCreate(
            goal_id=long_plan.goal_id,
            title_th=f"แผนฟื้นฟูทรัพยากรชายฝั่งทะเลสาบสงขลา {DEMO_MARK}",
            horizon=Horizon.medium,
            start_fiscal_year=year,
            end_fiscal_year=year + 4,
            budget_lines=[BudgetLine(partner_id=partner[Sector.academia], amount_satang=20_000_000)],
        ),
    )
    housing_agenda = await agendas.create(
        session,
        author,
        AgendaCreate(
            province_code="93",
            title_th=f"ที่อยู่อาศัยมั่นคงสำหรับทุกครัวเรือน {DEMO_MARK}",
            theme=Theme.housing,
            fiscal_years=[year],
            plan_ids=[housing.id],
            project_ids=[project.id],
        ),
    )
    await agendas.create(
        session,
        author,
        AgendaCreate(
            province_code="93",
            title_th=f"ฟื้นฟูทะเลสาบสงขลาและธนาคารปูม้า {DEMO_MARK}",
            theme=Theme.environment,
            fiscal_years=[year, year + 1],
            plan_ids=[coast.id],
        ),
    )
    today = bangkok_date(utcnow())
    forum = await forums.create(
        session,
        author,
        ForumCreate(
            area_code="93",
            title_th=f"เวทีพื้นที่กลางจังหวัดพัทลุง ครั้งที่ 1/{year} {DEMO_MARK}",
            held_on=today - timedelta(days=45),
            agenda=["วาระร่วมด้านที่อยู่อาศัย", "ธนาคารปูม้า", "แผนงบประมาณร่วม"],
            minutes="ภาคีร่วมพิจารณาวาระร่วมของจังหวัดและแผนงบประมาณร่วม",
            attendance={Sector.community_org: 64, Sector.government: 12, Sector.local_government: 9},
            attendee_names=["นางสาวสมศรี ใจดี", "นายประเสริฐ ทะเลงาม"],
        ),
    )
    adopted = await forums.adopt(
        session,
        author,
        forum.id,
        ResolutionCreate(text_th="เห็นชอบวาระร่วมด้านที่อยู่อาศัยมั่นคงและแผนปฏิบัติการปีนี้", agenda_id=housing_agenda.id),
    )
    for title, days in (("อบจ. สำรวจที่ดินสาธารณะสำหรับบ้านมั่นคง", -10), ("รายงานความคืบหน้าต่อเวทีครั้งถัดไป", 60)):
        await forums.add_action(
            session,
            author,
            forum.id,
            adopted.id,
            ActionCreate(
                title_th=title,
                owner_partner_id=partner[Sector.local_government],
                due_on=today + timedelta(days=days),
            ),
        )
    await forums.adopt(
        session,
        author,
        forum.id,
        ResolutionCreate(text_th="ขยายธนาคารปูม้าไปทุกตำบลชายฝั่ง", project_id=project.id, plan_id=coast.id),
    )
