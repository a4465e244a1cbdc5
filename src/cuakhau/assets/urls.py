from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.asset_create, name="asset_create"),
    path("plan/<slug:gate>/", views.plan, name="plan"),
    path("leases/", views.leases, name="leases"),
    path("leases/new/", views.lease_create, name="lease_create"),
    path("leases/<int:pk>/", views.lease_detail, name="lease"),
    path("leases/remind/", views.remind, name="remind"),
    path("instalments/<int:pk>/pay/", views.pay, name="pay"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("<slug:code>/", views.asset_detail, name="asset"),
    path("<slug:code>/files/", views.file_add, name="file_add"),
]
