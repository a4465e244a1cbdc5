"""Read-only back-office views (changes go through the pages and services, so each is audited)."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Dossier, DossierEvent, Procedure, ProcedureVersion


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ("code", "field", "is_active")


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "number", "valid_from", "deadline", "deadline_unit", "to_be_confirmed")


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "status", "channel", "due_at", "finished_timing")
    list_filter = ("status", "channel", "finished_timing")
    search_fields = ("code",)
    # The applicant's ID number is shown masked, as on the pages; the full number is read through the
    # dossier page's audited reveal.
    exclude = ("applicant_id",)
    readonly_fields = ("masked_applicant_id",)


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "action", "to_status", "at", "timing")
