from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Gate


@admin.register(Gate)
class GateAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "mode", "paired_gate_cn", "is_active"]
    list_filter = ["kind", "mode", "is_active"]
    search_fields = ["code", "name", "name_en"]
