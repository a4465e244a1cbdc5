from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cuakhau.core.views import dashboard, health

from .api import api

handler404 = "cuakhau.core.views.errors.not_found"
handler500 = "cuakhau.core.views.errors.server_error"
handler403 = "cuakhau.core.views.errors.forbidden"
handler400 = "cuakhau.core.views.errors.bad_request"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("cuakhau.core.urls")),
    path("modules/<slug:key>/", dashboard.module_planned, name="module_planned"),
    path("gates/", include("cuakhau.gates.urls")),
    path("parties/", include("cuakhau.parties.urls")),
    path("fees/", include("cuakhau.fees.urls")),
    path("traffic/", include("cuakhau.traffic.urls")),
    path("incidents/", include("cuakhau.incidents.urls")),
    path("cooperation/", include("cuakhau.cooperation.urls")),
    path("plans/", include("cuakhau.plans.urls")),
    path("trade/", include("cuakhau.trade.urls")),
    path("reports/", include("cuakhau.reports.urls")),
    path("procedures/", include("cuakhau.procedures.urls")),
    path("assets/", include("cuakhau.assets.urls")),
    path("auctions/", include("cuakhau.auctions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
