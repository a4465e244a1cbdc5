from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.index, name="index"),
    path("dossiers/", views.dossier_list, name="list"),
    path("dossiers/submit/", views.submit, name="submit"),
    path("dossiers/desk/", views.desk, name="desk"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="detail"),
    path("dossiers/<int:pk>/forms/<str:form>.<str:fmt>", views.form_document, name="form_document"),
    path("dossiers/<int:pk>/files/<int:file_id>/", views.file_download, name="file"),
    path("dossiers/<int:pk>/reveal-id/", views.reveal_applicant_id, name="reveal_applicant_id"),
    path("dossiers/<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("figures/", views.figures, name="figures"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:code>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogue/<slug:code>/publish/", views.catalogue_publish, name="catalogue_publish"),
    path("lookup/", views.lookup, name="lookup"),
]
