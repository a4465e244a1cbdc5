"""Pages for declarations, the live and public boards, the driver's pass, agency checks, yards and
regulation. Thin: scope, form, service.

One module a page group: declarations (the list, the form, the declaration's page and actions, the
printable pass, the Excel upload), driver (the pass page and my trips), boards, checks, yards (and
exceptions), exits (gates' exit rules, a refused exit and its release), regulation; base holds what they share.
"""

from .base import PAGE_SIZE
from .boards import board, board_home, public_board
from .checks import check_record, checks
from .declarations import (
    DONE,
    declaration_action,
    declaration_create,
    declaration_detail,
    declaration_edit,
    declaration_list,
    declaration_pass,
    index,
    upload_progress,
    upload_template,
    upload_view,
)
from .driver import my_trips, pass_page
from .exits import exception_detail, exit_release, exit_rules
from .regulation import regulation
from .yards import exception_resolve, yards

__all__ = [
    "DONE",
    "PAGE_SIZE",
    "board",
    "board_home",
    "check_record",
    "checks",
    "declaration_action",
    "declaration_create",
    "declaration_detail",
    "declaration_edit",
    "declaration_list",
    "declaration_pass",
    "exception_detail",
    "exception_resolve",
    "exit_release",
    "exit_rules",
    "index",
    "my_trips",
    "pass_page",
    "public_board",
    "regulation",
    "upload_progress",
    "upload_template",
    "upload_view",
    "yards",
]
