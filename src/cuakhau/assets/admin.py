"""Read-only back-office views: every change goes through the services and their audit events."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import Asset, Lease, RentInstalment


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "gate", "area_m2"]


@admin.register(Lease)
class LeaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "asset", "lessee", "starts_on", "ends_on", "status"]


@admin.register(RentInstalment)
class RentInstalmentAdmin(ReadOnlyAdmin):
    list_display = ["lease", "seq", "due_on", "amount", "paid_amount"]
