"""M2: the Excel upload finds a driver by document number only among the drivers the uploading
enterprise may name, and answers the same for a number registered elsewhere as for one never
registered (an upload must not tell whose a number is)."""

import datetime

from django.utils import timezone

from cuakhau.traffic.models import Declaration
from cuakhau.traffic.services import upload


def _row(t, **over):
    return {
        "trip": "1",
        "tax_code": t.a.tax_code,
        "gate": "GATE_G",
        "flow": "export",
        "vehicle": "12C-111.11",
        "driver": "020085001234",
        "planned_arrival": timezone.localtime() + datetime.timedelta(hours=5),
        "hs_code": "0810.90.10",
        "description": "Nhãn",
        "quantity": 100,
        "unit": "kg",
        "gross_kg": 110,
        "value": 1000000,
        "currency": "VND",
    } | over


def _driver_errors(trip, number):
    result = upload.rows_import(actor=trip.users["user_a"], rows=[(2, _row(trip, driver=number))])
    return [e.message for e in result.errors if e.column == upload.column_letter("driver")]


def test_an_upload_cannot_name_another_enterprises_driver(trip):
    elsewhere = _driver_errors(trip, "020 085 005 678")  # Lục Văn Bình, enterprise B's driver
    nowhere = _driver_errors(trip, "020085009999")  # registered to no one
    assert elsewhere and elsewhere == nowhere
    assert "Lục Văn Bình" not in " ".join(elsewhere) and "005678" not in " ".join(elsewhere)
    assert Declaration.objects.count() == 0


def test_an_upload_names_its_own_driver_written_any_way(trip):
    result = upload.rows_import(actor=trip.users["user_a"], rows=[(2, _row(trip, driver="020.085.001.234"))])
    assert not result.errors, result.errors
    assert result.created[0].driver == trip.driver_a
