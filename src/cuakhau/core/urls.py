from .views import audit as audit_views
from .views import auth
from .views import calendar as calendar_views
from .views import personal_data as personal_data_views
from .views import tokens as token_views
from .views import twofactor as twofactor_views
from .views import users as user_views

app_name = "core"

urlpatterns = [
    *auth.urlpatterns,
    *audit_views.urlpatterns,
    *calendar_views.urlpatterns,
    *personal_data_views.urlpatterns,
    *token_views.urlpatterns,
    *twofactor_views.urlpatterns,
    *user_views.urlpatterns,
]
