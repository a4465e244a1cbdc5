from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.incident_transition, name="transition"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("stats/", views.stats, name="stats"),
    path("stats/xlsx/", views.stats_xlsx, name="stats_xlsx"),
    path("report/", views.public_report, name="public_report"),
    path("report/received/", views.public_received, name="public_received"),
    path("track/", views.public_track, name="public_track"),
]
