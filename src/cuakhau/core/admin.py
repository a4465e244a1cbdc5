"""Back-office views for the Board's administrators. Read-only: every change goes through the
services and the pages built on them, so that each one leaves its audit event."""

from django.contrib import admin

from . import twofactor
from .models import ApiToken, AuditEvent, CalendarDay, CalendarYear, Unit, User
from .views.auth import AdminLoginForm

# The admin site signs in through the same login policy as the login page (core.login_policy): the
# backend refuses a throttled attempt, this form says so, the middleware answers 429.
admin.site.login_form = AdminLoginForm
# ... and needs the second factor: core.twofactor.TwoFactorMiddleware sends a session that still owes
# it to the code page; should that gate ever be missing, the admin site itself refuses the session.
_has_permission = admin.site.has_permission


def _verified_has_permission(request):
    return _has_permission(request) and not twofactor.pending(request)


admin.site.has_permission = _verified_has_permission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "agency_kind", "parent", "is_active"]
    list_filter = ["kind", "agency_kind"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_service_account", "is_active", "last_login"]
    list_filter = ["role", "is_service_account", "is_active"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "unit",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    exclude = ["key_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_type", "object_id", "chain_seq"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_label", "request_id"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "decision", "entered_at", "entered_by"]
    inlines = [CalendarDayInline]
