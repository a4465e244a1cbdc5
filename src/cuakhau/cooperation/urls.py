from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.index, name="index"),
    path("counterparts/new/", views.counterpart_create, name="counterpart_create"),
    path("counterparts/<slug:code>/edit/", views.counterpart_edit, name="counterpart_edit"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("<slug:kind>/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("milestones/new/", views.milestone_create, name="milestone_create"),
]
