"""Who is acting, from where, in which request: set by the middleware for web and API requests and
by `acting_as` for the CLI and background tasks; read by the audit log."""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ActionContext:
    actor: Any = None  # core.User or None
    request_id: str = ""
    client_ip: str | None = None
    channel: str = ""  # web, api, cli, task


_current: contextvars.ContextVar[ActionContext] = contextvars.ContextVar("cuakhau_action_context")


def current() -> ActionContext:
    return _current.get(ActionContext())


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(
    actor: Any = None,
    *,
    channel: str | None = None,
    request_id: str | None = None,
    client_ip: str | None = None,
):
    """Run a block as `actor` (CLI commands, tasks, tests). Unset fields keep the outer context."""
    outer = current()
    ctx = replace(
        outer,
        actor=actor if actor is not None else outer.actor,
        channel=channel or outer.channel or "cli",
        request_id=request_id or outer.request_id or new_request_id(),
        client_ip=client_ip if client_ip is not None else outer.client_ip,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_context(ctx: ActionContext) -> contextvars.Token:
    return _current.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _current.reset(token)
