"""The register's audit actions. Its records have no status to move through (a mandate ends by its
date or by a revocation), so parties declares no Workflow: each write is one service with one event."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cuakhau.core.actions import audit_actions

ENTERPRISE_REGISTER = "parties.enterprise.register"
ENTERPRISE_UPDATE = "parties.enterprise.update"
MANDATE_GRANT = "parties.mandate.grant"
MANDATE_REVOKE = "parties.mandate.revoke"
VEHICLE_REGISTER = "parties.vehicle.register"
VEHICLE_UPDATE = "parties.vehicle.update"
DRIVER_REGISTER = "parties.driver.register"
DRIVER_UPDATE = "parties.driver.update"
DRIVER_REVEAL_ID = "parties.driver.reveal_id"

audit_actions.register(
    "parties",
    {
        ENTERPRISE_REGISTER: _("đăng ký doanh nghiệp"),
        ENTERPRISE_UPDATE: _("sửa thông tin doanh nghiệp"),
        MANDATE_GRANT: _("ủy thác đại lý hải quan"),
        MANDATE_REVOKE: _("chấm dứt hợp đồng đại lý"),
        VEHICLE_REGISTER: _("đăng ký phương tiện"),
        VEHICLE_UPDATE: _("sửa thông tin phương tiện"),
        DRIVER_REGISTER: _("đăng ký lái xe"),
        DRIVER_UPDATE: _("sửa thông tin lái xe"),
        DRIVER_REVEAL_ID: _("xem đầy đủ số giấy tờ của lái xe"),
    },
    legacy={
        "enterprise.register": ENTERPRISE_REGISTER,
        "enterprise.update": ENTERPRISE_UPDATE,
        "mandate.grant": MANDATE_GRANT,
        "mandate.revoke": MANDATE_REVOKE,
        "vehicle.register": VEHICLE_REGISTER,
        "vehicle.update": VEHICLE_UPDATE,
        "driver.register": DRIVER_REGISTER,
        "driver.update": DRIVER_UPDATE,
        "driver.id_viewed": DRIVER_REVEAL_ID,
    },
)
