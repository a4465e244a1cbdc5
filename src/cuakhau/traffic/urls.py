from django.urls import path

from . import views

app_name = "traffic"

urlpatterns = [
    path("", views.index, name="index"),
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/new/", views.declaration_create, name="declaration_create"),
    path("declarations/upload/", views.upload_view, name="upload"),
    path("declarations/upload/<int:pk>/", views.upload_progress, name="upload_progress"),
    path("declarations/template.xlsx", views.upload_template, name="upload_template"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/edit/", views.declaration_edit, name="declaration_edit"),
    path("declarations/<int:pk>/pass/", views.declaration_pass, name="declaration_pass"),
    path("declarations/<int:pk>/<slug:action>/", views.declaration_action, name="declaration_action"),
    path("my-trips/", views.my_trips, name="my_trips"),
    path("pass/<str:token>/", views.pass_page, name="pass"),
    path("board/", views.board_home, name="board_home"),
    path("board/<slug:code>/", views.board, name="board"),
    path("public/", views.public_board, name="public_board"),
    path("checks/", views.checks, name="checks"),
    path("checks/<int:pk>/record/", views.check_record, name="check_record"),
    path("yards/", views.yards, name="yards"),
    path("exceptions/<int:pk>/", views.exception_detail, name="exception_detail"),
    path("exceptions/<int:pk>/resolve/", views.exception_resolve, name="exception_resolve"),
    path("exceptions/<int:pk>/release/", views.exit_release, name="exit_release"),
    path("exit-rules/", views.exit_rules, name="exit_rules"),
    path("regulation/<slug:code>/", views.regulation, name="regulation"),
]
