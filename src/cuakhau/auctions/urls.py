from django.urls import path

from . import views

app_name = "auctions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("rules/", views.rules, name="rules"),
    path("deposits/statement/", views.statement, name="statement"),
    path("public/", views.public_notices, name="public_notices"),
    path("public/results/", views.public_results, name="public_results"),
    path("public/<slug:code>/", views.public_detail, name="public_detail"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/edit/", views.edit, name="edit"),
    path("<slug:code>/act/<slug:action>/", views.act, name="act"),
    path("<slug:code>/register/", views.register, name="register"),
    path("<slug:code>/live/", views.live, name="live"),
    path("<slug:code>/live/state/", views.live_state, name="live_state"),
    path("<slug:code>/bid/", views.bid, name="bid"),
    path("<slug:code>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:code>/record.<str:fmt>", views.record, name="record"),
    path("<slug:code>/log/", views.log, name="log"),
]
