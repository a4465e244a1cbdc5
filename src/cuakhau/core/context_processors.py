from django.conf import settings
from django.utils.translation import get_language

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "nav_menu": menu_for(user) if user is not None and user.is_authenticated else [],
        "zone_name": settings.ZONE_NAMES.get(language, settings.ZONE_NAME),
        "board_name": settings.BOARD_NAMES.get(language, settings.BOARD_NAME),
    }
