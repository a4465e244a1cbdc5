"""Read-only admin for trade (changes go through the pages and services, which audit them)."""

from django.contrib import admin

from .models import ExchangeRate, ImportBatch, Series, StatRow


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(ReadOnly):
    list_display = ["code", "name", "kind"]


@admin.register(ExchangeRate)
class RateAdmin(ReadOnly):
    list_display = ["day", "currency", "vnd_per_unit", "source"]
    list_filter = ["currency"]


@admin.register(ImportBatch)
class BatchAdmin(ReadOnly):
    list_display = ["created_at", "series", "filename", "status", "row_count", "error_count"]


@admin.register(StatRow)
class StatRowAdmin(ReadOnly):
    list_display = [
        "series",
        "metric",
        "granularity",
        "period_start",
        "gate_code",
        "flow",
        "hs_chapter",
        "value",
        "unit",
        "derived",
    ]
    list_filter = ["series", "granularity", "metric", "derived"]
