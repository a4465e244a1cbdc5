from django.urls import path

from . import views

app_name = "parties"

urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<str:tax_code>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<str:tax_code>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("mandates/new/", views.mandate_create, name="mandate_create"),
    path("mandates/<int:pk>/revoke/", views.mandate_revoke, name="mandate_revoke"),
    path("vehicles/", views.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("drivers/", views.driver_list, name="driver_list"),
    path("drivers/new/", views.driver_create, name="driver_create"),
    path("drivers/<int:pk>/", views.driver_detail, name="driver_detail"),
    path("drivers/<int:pk>/edit/", views.driver_edit, name="driver_edit"),
    path("drivers/<int:pk>/reveal-id/", views.driver_reveal_id, name="driver_reveal_id"),
]
