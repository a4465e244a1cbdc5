from django.urls import path

from . import views, views_collect

app_name = "fees"

urlpatterns = [
    path("", views_collect.home, name="home"),
    path("calculator/", views.calculator, name="calculator"),
    path("tariffs/", views.tariff_list, name="tariff_list"),
    path("tariffs/<int:pk>/", views.tariff_detail, name="tariff_detail"),
    path("tariffs/new/", views.tariff_create, name="tariff_create"),
    path("tariffs/<int:pk>/revise/", views.tariff_revise, name="tariff_revise"),
    path("tariffs/<int:pk>/edit/", views.tariff_edit, name="tariff_edit"),
    path("tariffs/<int:pk>/publish/", views.tariff_publish, name="tariff_publish"),
    path("tariffs/<int:pk>/rules/<slug:key>/confirm/", views.tariff_rule_confirm, name="tariff_rule_confirm"),
    path("assessments/", views_collect.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", views_collect.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/notice.pdf", views_collect.assessment_notice_pdf, name="assessment_notice_pdf"
    ),
    path("assessments/<int:pk>/collect/", views_collect.assessment_collect, name="assessment_collect"),
    path("counter/", views_collect.counter, name="counter"),
    path("receipts/", views_collect.receipt_list, name="receipt_list"),
    path("receipts/<int:pk>/", views_collect.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/pdf/", views_collect.receipt_pdf, name="receipt_pdf"),
    path("receipts/<int:pk>/xml/", views_collect.receipt_xml, name="receipt_xml"),
    path("receipts/<int:pk>/replace/", views_collect.receipt_replace, name="receipt_replace"),
    path("lookup/", views_collect.receipt_lookup, name="receipt_lookup"),
    path("payments/", views_collect.payments, name="payments"),
    path("payments/unmatched/", views_collect.unmatched, name="unmatched"),
    path("payments/accounts/", views_collect.account_list, name="account_list"),
    path("payments/credit/", views_collect.credit_limits, name="credit_limits"),
    path("payments/accounts/<slug:code>/", views_collect.account_edit, name="account_edit"),
    path("shift/", views_collect.shift, name="shift"),
    path("revenue/", views_collect.revenue, name="revenue"),
]
