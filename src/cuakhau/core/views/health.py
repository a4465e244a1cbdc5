from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from cuakhau import __version__


@require_GET
def healthz(request):
    """Liveness and database status, for load balancers and monitoring."""
    status = {
        "status": "ok",
        "version": __version__,
        "database": {"status": "ok", "vendor": connection.vendor},
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure is reported, not raised
        status["status"] = "degraded"
        status["database"] = {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
        return JsonResponse(status, status=503)
    return JsonResponse(status)
