from django.conf import settings

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_menu": menu_for(user) if user is not None and user.is_authenticated else [],
        "zone_name": settings.ZONE_NAME,
        "board_name": settings.BOARD_NAME,
    }
