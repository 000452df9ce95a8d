"""Demo funds for development (`make run`): pooled funds for Phatthalung (93) and Chai Nat (18) and a tambon
fund in Khuha Sawan, with contributions from a savings group, a welfare fund, a CODI grant and a partner, and
disbursements in every state — all made through the service's own rules, so the ledger, history and events
are real. Idempotent: a database that already holds the demo funds is left as it is."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.common.auth import Principal
from services.common.calendar import bangkok_date
from services.common.clock import utcnow
from services.common.demo import DEMO_MARK, seed_once
from services.common.people import PeopleCheck, known_people
from services.common.settings import Settings
from services.funds.contributions import service as contributions
from services.funds.contributions.models import SourceKind
from services.funds.contributions.schemas import ContributionCreate
from services.funds.disbursements import service as disbursements
from services.funds.disbursements.models import PayeeKind
from services.funds.disbursements.schemas import DisbursementCreate
from services.funds.events import EVENT_TYPES
from services.funds.funds import service as funds
from services.funds.funds.models import Fund, FundKind
from services.funds.funds.schemas import FundCreate
from services.funds.reversals import service as reversals

BAHT = 100

log = structlog.get_logger()


@dataclass(frozen=True)
class Payout:
    baht: int
    purpose: str
    payee: str
    ends: str  # requested | approved | rejected | cancelled | paid | reversed
    payee_kind: PayeeKind = PayeeKind.organisation


async def ensure_demo_funds(settings: Settings, people: Mapping[str, Principal]) -> bool:
    """Create the demo funds unless they exist; returns whether anything was created."""

    async def seed(session: AsyncSession) -> None:
        await _seed(session, people)

    seeded = select(Fund.id).where(col(Fund.name_th).endswith(DEMO_MARK))
    return await seed_once(settings, service="funds", event_types=EVENT_TYPES, seeded=seeded, seed=seed)


async def _seed(session: AsyncSession, people: Mapping[str, Principal]) -> None:
    accounts = known_people(people.values())  # the seeding runs before the gateway answers
    national, south = people["demo-national"], people["demo-regional-south"]
    phatthalung, chainat = people["demo-provincial-93"], people["demo-provincial-18"]
    khuha_sawan = people["demo-tambon-930101"]

    pool_93 = await _open(
        session,
        phatthalung,
        FundCreate(
            name_th=f"กองทุนบริหารร่วมจังหวัดพัทลุง {DEMO_MARK}",
            name_en="Phatthalung pooled fund (demo)",
            kind=FundKind.pooled_province,
            area_code="93",
            approvals_required=2,
            committee=[_id(national), _id(south), _id(phatthalung)],
        ),
        accounts,
    )
    await _contribute(
        session, phatthalung, pool_93, SourceKind.savings_group, "กลุ่มออมทรัพย์เพื่อการผลิตตำบลคูหาสวรรค์", 250_000
    )
    await _contribute(
        session, phatthalung, pool_93, SourceKind.welfare_fund, "กองทุนสวัสดิการชุมชนตำบลนาโหนด", 120_000
    )
    await _contribute(
        session, phatthalung, pool_93, SourceKind.codi_grant, "สถาบันพัฒนาองค์กรชุมชน (พอช.)", 500_000
    )
    await _contribute(session, phatthalung, pool_93, SourceKind.partner, "สมัชชาสุขภาพจังหวัดพัทลุง", 80_000)
    await _payouts(
        session,
        pool_93,
        requester=phatthalung,
        approvers=(national, south),
        payouts=[
            Payout(150_000, "วัสดุก่อสร้างบ้านมั่นคงชนบท ระยะที่ 1", "สหกรณ์เคหสถานบ้านมั่นคงพัทลุง จำกัด", "paid"),
            Payout(5_000, "ค่าตอบแทนวิทยากรเวทีถอดบทเรียน", "นางสาวมาลี ศรีสุข", "paid", PayeeKind.individual),
            Payout(40_000, "พันธุ์ปูม้าสำหรับธนาคารปูชุมชน", "กลุ่มประมงพื้นบ้านบ้านแหลมจองถนน", "approved"),
            Payout(25_000, "จัดเวทีพื้นที่กลางจังหวัด ครั้งที่ 2", "เครือข่ายองค์กรชุมชนจังหวัดพัทลุง", "requested"),
            Payout(900_000, "ซื้อรถยนต์ส่วนกลาง", "บริษัท ตัวอย่างยนต์ จำกัด", "rejected"),
            Payout(10_000, "ค่าเดินทางผู้ประสานงาน", "นายสมชาย ใจดี", "cancelled", PayeeKind.individual),
            Payout(12_000, "ค่าเช่าเครื่องเสียงเวทีประชาคม", "ร้านพัทลุงซาวด์", "reversed"),
        ],
    )

    tambon = await _open(
        session,
        khuha_sawan,
        FundCreate(
            name_th=f"กองทุนชุมชนตำบลคูหาสวรรค์ {DEMO_MARK}",
            kind=FundKind.tambon,
            area_code="930101",
            approvals_required=2,
            committee=[_id(khuha_sawan), _id(phatthalung), _id(south)],
        ),
        accounts,
    )
    await _contribute(
        session, khuha_sawan, tambon, SourceKind.savings_group, "กลุ่มออมทรัพย์บ้านควนอินนอโม", 60_000
    )
    transfer = DisbursementCreate(
        amount_satang=30_000 * BAHT,
        purpose="สมทบกองทุนบริหารร่วมจังหวัดพัทลุง ปี 2568",
        payee_kind=PayeeKind.fund,
        to_fund_id=pool_93,
    )
    await _through(session, tambon, transfer, khuha_sawan, (phatthalung, south), "paid")

    pool_18 = await _open(
        session,
        chainat,
        FundCreate(
            name_th=f"กองทุนบริหารร่วมจังหวัดชัยนาท {DEMO_MARK}",
            name_en="Chai Nat pooled fund (demo)",
            kind=FundKind.pooled_province,
            area_code="18",
            approvals_required=1,
            committee=[_id(national), _id(chainat)],
        ),
        accounts,
    )
    await _contribute(
        session, chainat, pool_18, SourceKind.savings_group, "กลุ่มออมทรัพย์สัจจะตำบลหาดท่าเสา", 90_000
    )
    await _contribute(
        session, chainat, pool_18, SourceKind.welfare_fund, "กองทุนสวัสดิการชุมชนตำบลธรรมามูล", 60_000
    )
    await _contribute(session, chainat, pool_18, SourceKind.codi_grant, "สถาบันพัฒนาองค์กรชุมชน (พอช.)", 300_000)
    await _contribute(session, chainat, pool_18, SourceKind.partner, "สำนักงานพัฒนาชุมชนจังหวัดชัยนาท", 50_000)
    await _payouts(
        session,
        pool_18,
        requester=chainat,
        approvers=(national,),
        payouts=[
            Payout(80_000, "ซ่อมแซมบ้านผู้ประสบอุทกภัย", "เครือข่ายบ้านมั่นคงจังหวัดชัยนาท", "paid"),
            Payout(35_000, "อบรมบัญชีครัวเรือนแก้หนี้", "กลุ่มออมทรัพย์สัจจะตำบลหาดท่าเสา", "approved"),
            Payout(20_000, "สำรวจข้อมูลครัวเรือนเป้าหมาย (TPMAP)", "ทีมข้อมูลตำบลธรรมามูล", "requested"),
            Payout(500_000, "ก่อสร้างอาคารสำนักงาน", "ห้างหุ้นส่วน ตัวอย่างก่อสร้าง", "rejected"),
            Payout(3_000, "ค่าอาหารว่างประชุม", "นางบุญมี ทองดี", "cancelled", PayeeKind.individual),
            Payout(8_000, "ค่าพิมพ์เอกสารรายงานประจำปี", "ร้านชัยนาทการพิมพ์", "reversed"),
        ],
    )


async def _open(session: AsyncSession, opener: Principal, data: FundCreate, people: PeopleCheck) -> uuid.UUID:
    return (await funds.create(session, opener, data, people)).fund.id


async def _contribute(
    session: AsyncSession, recorder: Principal, fund_id: uuid.UUID, kind: SourceKind, name: str, baht: int
) -> None:
    received_on = bangkok_date(utcnow()) - timedelta(days=30)
    data = ContributionCreate(
        amount_satang=baht * BAHT, source_kind=kind, source_name=name, received_on=received_on
    )
    await contributions.contribute(session, recorder, fund_id, data)


async def _payouts(
    session: AsyncSession,
    fund_id: uuid.UUID,
    *,
    requester: Principal,
    approvers: tuple[Principal, ...],
    payouts: list[Payout],
) -> None:
    for payout in payouts:
        data = DisbursementCreate(
            amount_satang=payout.baht * BAHT,
            purpose=payout.purpose,
            payee_kind=payout.payee_kind,
            payee_name=payout.payee,
        )
        await _through(session, fund_id, data, requester, approvers, payout.ends)


async def _through(
    session: AsyncSession,
    fund_id: uuid.UUID,
    data: DisbursementCreate,
    requester: Principal,
    approvers: tuple[Principal, ...],
    ends: str,
) -> None:
    """Request a disbursement and take it as far as `ends`."""
    did = (await disbursements.request(session, requester, fund_id, data)).id
    if ends == "rejected":
        await disbursements.reject(session, approvers[0], fund_id, did, "เกินกรอบแผนงานที่ที่ประชุมเห็นชอบ")
        return
    if ends == "cancelled":
        await disbursements.cancel(session, requester, fund_id, did, "ยื่นซ้ำกับคำขออื่น")
        return
    if ends == "requested":
        if len(approvers) > 1:  # one approval of two: still waiting
            await disbursements.approve(session, approvers[0], fund_id, did, None)
        return
    for approver in approvers:
        await disbursements.approve(session, approver, fund_id, did, "ตรวจเอกสารแล้ว")
    if ends not in ("paid", "reversed"):
        return
    paid = await disbursements.pay(session, requester, fund_id, did, f"โอนผ่านธนาคาร เลขที่ DEMO-{str(did)[:8]}")
    if ends == "reversed" and paid.transfer_id is not None:  # recorded twice by mistake: the money goes back
        reason = "บันทึกการจ่ายซ้ำกับใบสำคัญเดิม คืนเงินเข้ากองทุน"
        reversal = await reversals.request(session, requester, fund_id, paid.transfer_id, reason)
        for approver in approvers:
            await reversals.approve(session, approver, fund_id, reversal.id, None)


def _id(principal: Principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)
