"""Read-only back-office views (changes go through the pages and services, so each is audited)."""

from django.contrib import admin

from .models import Dossier, DossierEvent, Procedure, ProcedureVersion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(ReadOnly):
    list_display = ("code", "field", "is_active")


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnly):
    list_display = ("procedure", "number", "valid_from", "deadline", "deadline_unit", "to_be_confirmed")


@admin.register(Dossier)
class DossierAdmin(ReadOnly):
    list_display = ("code", "version", "status", "channel", "due_at", "finished_timing")
    list_filter = ("status", "channel", "finished_timing")
    search_fields = ("code",)


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnly):
    list_display = ("dossier", "action", "to_status", "at", "timing")
