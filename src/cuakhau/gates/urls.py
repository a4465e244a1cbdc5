from django.urls import path

from . import views

app_name = "gates"

urlpatterns = [
    path("", views.gate_list, name="list"),
    path("new/", views.gate_create, name="create"),
    path("<slug:code>/", views.gate_detail, name="detail"),
    path("<slug:code>/edit/", views.gate_edit, name="edit"),
]
