from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/error.html", {"code": 404}, status=404)


def server_error(request):
    return render(request, "errors/error.html", {"code": 500}, status=500)


def forbidden(request, exception=None):
    return render(request, "errors/error.html", {"code": 403}, status=403)


def bad_request(request, exception=None):
    # A refused query parameter (core.views.params.BadParameter) says which one and why.
    message = getattr(exception, "message", "") if exception is not None else ""
    return render(request, "errors/error.html", {"code": 400, "message": message}, status=400)
