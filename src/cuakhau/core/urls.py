from django.urls import path

from .views import audit as audit_views
from .views import auth
from .views import calendar as calendar_views
from .views import tokens as token_views
from .views import users as user_views

app_name = "core"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    *audit_views.urlpatterns,
    *calendar_views.urlpatterns,
    *token_views.urlpatterns,
    *user_views.urlpatterns,
]
