from django.urls import path

from . import views

app_name = "trade"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("computed/", views.computed, name="computed"),
    path("published/", views.published, name="published"),
    path("rates/", views.rates, name="rates"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
