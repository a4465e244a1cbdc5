from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/refresh/", views.report_refresh, name="refresh"),
    path("<int:pk>/issue/", views.report_issue, name="issue"),
    path("<int:pk>/download.<str:fmt>", views.report_download, name="download"),
]
