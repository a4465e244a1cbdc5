from django.urls import path

from .views import assessments, counter, credit, payments, receipts, revenue, tariffs

app_name = "fees"

urlpatterns = [
    path("", assessments.home, name="home"),
    path("calculator/", tariffs.calculator, name="calculator"),
    path("tariffs/", tariffs.tariff_list, name="tariff_list"),
    path("tariffs/<int:pk>/", tariffs.tariff_detail, name="tariff_detail"),
    path("tariffs/new/", tariffs.tariff_create, name="tariff_create"),
    path("tariffs/<int:pk>/revise/", tariffs.tariff_revise, name="tariff_revise"),
    path("tariffs/<int:pk>/edit/", tariffs.tariff_edit, name="tariff_edit"),
    path("tariffs/<int:pk>/publish/", tariffs.tariff_publish, name="tariff_publish"),
    path(
        "tariffs/<int:pk>/rules/<slug:key>/confirm/", tariffs.tariff_rule_confirm, name="tariff_rule_confirm"
    ),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/notice.pdf", assessments.assessment_notice_pdf, name="assessment_notice_pdf"),
    path("assessments/<int:pk>/collect/", assessments.assessment_collect, name="assessment_collect"),
    path("counter/", counter.counter, name="counter"),
    path("receipts/", receipts.receipt_list, name="receipt_list"),
    path("receipts/<int:pk>/", receipts.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/pdf/", receipts.receipt_pdf, name="receipt_pdf"),
    path("receipts/<int:pk>/xml/", receipts.receipt_xml, name="receipt_xml"),
    path("receipts/<int:pk>/replace/", receipts.receipt_replace, name="receipt_replace"),
    path("lookup/", receipts.receipt_lookup, name="receipt_lookup"),
    path("payments/", payments.payments, name="payments"),
    path("payments/unmatched/", payments.unmatched, name="unmatched"),
    path("payments/accounts/", payments.account_list, name="account_list"),
    path("payments/credit/", credit.credit_limits, name="credit_limits"),
    path("payments/accounts/<slug:code>/", payments.account_edit, name="account_edit"),
    path("shift/", counter.shift, name="shift"),
    path("revenue/", revenue.revenue, name="revenue"),
]
