from django.urls import path

from . import views

app_name = "fees"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("tariffs/", views.tariff_list, name="tariff_list"),
    path("tariffs/<int:pk>/", views.tariff_detail, name="tariff_detail"),
    path("tariffs/<int:pk>/revise/", views.tariff_revise, name="tariff_revise"),
]
