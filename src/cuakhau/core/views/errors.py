from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _api(request) -> bool:
    # A path under the API that no operation matches (e.g. /api/v1/incidents/-1: the int converter takes
    # digits only) is answered in the API's own shape, {"detail": ...} as JSON, not with the HTML page.
    return request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return render(request, "errors/error.html", {"code": 404}, status=404)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": _("Lỗi máy chủ.")}, status=500)
    return render(request, "errors/error.html", {"code": 500}, status=500)


def forbidden(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Không có quyền.")}, status=403)
    return render(request, "errors/error.html", {"code": 403}, status=403)


def bad_request(request, exception=None):
    # A refused query parameter (core.views.params.BadParameter) says which one and why.
    message = getattr(exception, "message", "") if exception is not None else ""
    if _api(request):
        return JsonResponse({"detail": message or _("Yêu cầu không hợp lệ.")}, status=400)
    return render(request, "errors/error.html", {"code": 400, "message": message}, status=400)
