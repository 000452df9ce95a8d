from __future__ import annotations

from services.common import errors
from services.common.i18n import Text


class UsernameTaken(errors.Conflict):
    slug = "username-taken"
    title = Text("That username is taken", "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว")

    def __init__(self, username: str) -> None:
        super().__init__(
            Text(
                f"The username {username} is taken: choose another.", f"ชื่อผู้ใช้ {username} มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"
            ),
            extensions={"errors": [{"pointer": "/username", "detail": Text("taken", "มีผู้ใช้แล้ว")}]},
        )


class LastGrant(errors.Conflict):
    slug = "last-grant"
    title = Text("An account keeps at least one grant", "บัญชีต้องมีสิทธิ์อย่างน้อยหนึ่งรายการ")
    default_detail = Text(
        "This is the account's last grant: deactivate the account instead.",
        "นี่คือสิทธิ์สุดท้ายของบัญชี กรุณาระงับบัญชีแทน",
    )


class OwnAccount(errors.Conflict):
    slug = "own-account"
    title = Text("Not on your own account", "ทำกับบัญชีของตนเองไม่ได้")
    default_detail = Text(
        "You cannot deactivate your own account: ask another administrator.",
        "ระงับบัญชีของตนเองไม่ได้ กรุณาให้ผู้ดูแลคนอื่นดำเนินการ",
    )
