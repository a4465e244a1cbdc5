"""A person's own password: changed when signed in (old and new), or reset through a link sent by
e-mail. One transaction and one audit event each. Changing the password ends every other session of
the account: Django checks each session against a hash of the password (the page that changed it keeps
its own session, through update_session_auth_hash)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..audit import audit_record
from ..errors import ServiceError
from ..models import User
from ..service import service


@service
def password_change(*, actor: User | None, user: User, password: str, by_reset: bool = False) -> User:
    """Set the account's own new password. The caller proved who it is: the old password (the change
    page, under the login policy; `actor` is the account) or a reset link's token (`by_reset`; the
    visitor is not signed in, `actor` is None). Django's validators apply."""
    if not by_reset and getattr(actor, "pk", None) != user.pk:
        raise ServiceError(
            _("Chỉ chủ tài khoản mới đổi được mật khẩu của mình."), field="password", status=403
        )
    if user.is_service_account:
        raise ServiceError(
            _("Tài khoản thiết bị hoặc hệ thống không có mật khẩu: nó chỉ dùng khóa API."), field="password"
        )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="new_password1") from exc
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action="core.user.password_reset" if by_reset else "core.user.password_change", obj=user, actor=user
    )
    return user
