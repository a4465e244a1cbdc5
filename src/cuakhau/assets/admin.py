"""Read-only back-office views: every change goes through the services and their audit events."""

from django.contrib import admin

from .models import Asset, Lease, RentInstalment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "gate", "area_m2"]


@admin.register(Lease)
class LeaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "asset", "lessee", "starts_on", "ends_on", "status"]


@admin.register(RentInstalment)
class RentInstalmentAdmin(ReadOnlyAdmin):
    list_display = ["lease", "seq", "due_on", "amount", "paid_amount"]
