"""Back-office views of the register. Read-only: every change goes through the services (and their
audit events); drivers' document numbers are shown masked, as in the lists."""

from django.contrib import admin

from cuakhau.core.admin import ReadOnlyAdmin

from .models import AgencyMandate, Driver, Enterprise, Vehicle


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["tax_code", "name", "is_customs_agent", "is_active"]
    search_fields = ["tax_code", "name", "name_en"]


@admin.register(AgencyMandate)
class AgencyMandateAdmin(ReadOnlyAdmin):
    list_display = ["agent", "client", "valid_from", "valid_to", "revoked_at"]


@admin.register(Vehicle)
class VehicleAdmin(ReadOnlyAdmin):
    list_display = ["plate", "plate_key", "country", "kind", "owner", "is_trailer"]
    search_fields = ["plate_key", "plate"]


@admin.register(Driver)
class DriverAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "id_kind", "masked_id", "nationality", "employer"]
    fields = ["full_name", "id_kind", "masked_id", "nationality", "phone", "employer", "user", "is_active"]
    readonly_fields = fields
    search_fields = ["full_name"]
