"""The funds service's problem types (RFC 9457), in the one hierarchy of services/common/errors.py."""

from __future__ import annotations

import uuid

from services.common import errors
from services.common.i18n import Text
from services.common.money import MAX_BALANCE_SATANG, format_baht


class InsufficientFunds(errors.Conflict):
    slug = "insufficient-funds"
    title = Text("Not enough money available in the fund", "เงินที่ใช้ได้ของกองทุนไม่พอ")

    def __init__(self, *, fund_id: uuid.UUID, available: int, amount: int) -> None:
        # `fund_id` names the fund short of money: undoing a transfer between funds may fail on the other one
        super().__init__(
            Text(
                f"Fund {fund_id} has {format_baht(available)} baht available (balance less reservations); "
                f"this needs {format_baht(amount)} baht.",
                f"กองทุน {fund_id} มีเงินที่ใช้ได้ {format_baht(available)} บาท (ยอดคงเหลือหักยอดที่กันไว้) "
                f"แต่รายการนี้ต้องใช้ {format_baht(amount)} บาท",
            ),
            extensions={"fund_id": str(fund_id), "available_satang": available, "amount_satang": amount},
        )


class BalanceOutOfRange(errors.Conflict):
    """An account's balance would leave what the ledger can hold (the column's 64-bit range)."""

    slug = "balance-out-of-range"
    title = Text("The fund's balance would be too large", "ยอดเงินของกองทุนจะเกินกว่าที่ระบบเก็บได้")

    def __init__(self, *, fund_id: uuid.UUID, amount: int) -> None:
        super().__init__(
            Text(
                f"Fund {fund_id} cannot take {format_baht(abs(amount))} baht more: its ledger would pass "
                f"{format_baht(MAX_BALANCE_SATANG)} baht. Open another fund for the rest.",
                f"กองทุน {fund_id} รับเพิ่มอีก {format_baht(abs(amount))} บาทไม่ได้ "
                f"เพราะยอดในบัญชีจะเกิน {format_baht(MAX_BALANCE_SATANG)} บาท กรุณาเปิดกองทุนใหม่สำหรับส่วนที่เหลือ",
            ),
            extensions={"fund_id": str(fund_id), "amount_satang": amount, "limit_satang": MAX_BALANCE_SATANG},
        )


class NotOnCommittee(errors.Forbidden):
    slug = "not-on-committee"
    title = Text("Only the fund's committee may decide this", "เฉพาะคณะกรรมการกองทุนเท่านั้นที่ตัดสินเรื่องนี้ได้")
    default_detail = Text("You are not a member of this fund's committee.", "คุณไม่ได้เป็นกรรมการของกองทุนนี้")


class NotReversible(errors.Conflict):
    slug = "not-reversible"
    title = Text("This transfer cannot be reversed", "รายการโอนนี้กลับรายการไม่ได้")

    @classmethod
    def of_a_reversal(cls) -> NotReversible:
        return cls(
            Text(
                "It is itself a reversal; post a new transfer instead.",
                "รายการนี้เป็นการกลับรายการอยู่แล้ว กรุณาบันทึกรายการใหม่แทน",
            )
        )

    @classmethod
    def already_reversed(cls, by: uuid.UUID) -> NotReversible:
        return cls(
            Text(f"It was already reversed by transfer {by}.", f"รายการนี้ถูกกลับรายการแล้วโดยรายการ {by}"),
            extensions={"reversed_by_transfer_id": str(by)},
        )

    @classmethod
    def through(cls, fund_id: uuid.UUID) -> NotReversible:
        return cls(
            Text(
                f"Undoing it takes the money back out of fund {fund_id}: ask through that fund, whose "
                "committee approves what leaves it.",
                f"การกลับรายการนี้ดึงเงินคืนจากกองทุน {fund_id} กรุณายื่นคำขอผ่านกองทุนนั้น "
                "ซึ่งคณะกรรมการของกองทุนนั้นเป็นผู้อนุมัติเงินที่ออกจากกองทุน",
            ),
            extensions={"through_fund_id": str(fund_id)},
        )

    @classmethod
    def pending(cls, reversal_id: uuid.UUID) -> NotReversible:
        return cls(
            Text(
                f"Reversal request {reversal_id} for it is still open.",
                f"มีคำขอกลับรายการ {reversal_id} ที่ยังดำเนินการอยู่",
            ),
            extensions={"reversal_id": str(reversal_id)},
        )


def invalid_field(pointer: str, detail: Text) -> errors.ValidationFailed:
    """A 422 that points at one field of the body (for rules a schema alone cannot check)."""
    return errors.at_field(errors.ValidationFailed, pointer, detail)


def conflicting_field(pointer: str, detail: Text) -> errors.Conflict:
    """A 409 that points at the field of the body that conflicts with what the resource already is."""
    return errors.at_field(errors.Conflict, pointer, detail)


def fund_not_found(fund_id: uuid.UUID) -> errors.NotFound:
    return errors.NotFound(Text(f"No fund with id {fund_id}.", f"ไม่พบกองทุน รหัส {fund_id}"))


def not_found_in(fund_id: uuid.UUID, what: Text, row_id: uuid.UUID) -> errors.NotFound:
    """404 for a row that exists but belongs to another fund than the path names."""
    return errors.NotFound(
        Text(f"No {what.en} {row_id} in fund {fund_id}.", f"ไม่พบ{what.th} รหัส {row_id} ในกองทุน {fund_id}")
    )
