from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def calendar_view(request):  # filled in by the calendar work
    raise Http404


urlpatterns = [
    path("calendar/", calendar_view, name="calendar"),
]
