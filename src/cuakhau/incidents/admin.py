"""Back-office views of incidents. Read-only: every change goes through the services (and their audit
events). Reporters' contact details are not listed."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Incident, IncidentEvent


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = [
        "tracking_code",
        "reported_at",
        "gate",
        "kind",
        "severity",
        "status",
        "force_kind",
        "source",
    ]
    list_filter = ["status", "kind", "source"]
    search_fields = ["tracking_code"]
    exclude = ["reporter_name", "reporter_phone"]


@admin.register(IncidentEvent)
class IncidentEventAdmin(ReadOnlyAdmin):
    list_display = ["incident", "action", "from_status", "to_status", "actor", "at"]
