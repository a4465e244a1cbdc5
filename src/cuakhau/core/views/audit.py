from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def audit_list(request):  # filled in by the audit work
    raise Http404


urlpatterns = [
    path("audit/", audit_list, name="audit"),
]
