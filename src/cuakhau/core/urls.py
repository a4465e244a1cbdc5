from django.urls import path

from .views import auth, dashboard
from .views import audit as audit_views
from .views import calendar as calendar_views

app_name = "core"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
]
