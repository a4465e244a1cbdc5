from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:year>/", views.plan_detail, name="plan_detail"),
    path("<int:year>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:year>/activate/", views.plan_transition, {"step": "activate"}, name="plan_activate"),
    path("<int:year>/close/", views.plan_transition, {"step": "close"}, name="plan_close"),
    path("<int:year>/tasks/new/", views.task_create, name="task_create"),
    path("<int:year>/evaluation/", views.plan_evaluate, name="plan_evaluate"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("units/", views.units, name="units"),
    path("units/<slug:code>/", views.unit_detail, name="unit_detail"),
    path("directives/", views.directive_list, name="directive_list"),
    path("directives/new/", views.directive_create, name="directive_create"),
    path("directives/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("directives/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/reschedule/", views.action_reschedule, name="action_reschedule"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("feedback/", views.feedback_figures, name="feedback_figures"),
    path("feedback/r/<str:token>/", views.feedback_public, name="feedback_public"),
]
