from .calendar import calendar_year_enter as calendar_year_enter
from .installation import installation_mark_demo
from .org import token_create, token_revoke, unit_upsert, user_create, user_set_password, user_update

__all__ = [
    "installation_mark_demo",
    "token_create",
    "token_revoke",
    "unit_upsert",
    "user_create",
    "user_set_password",
    "user_update",
]
