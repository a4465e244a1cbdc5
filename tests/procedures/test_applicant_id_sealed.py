"""A dossier applicant's tax code or ID number is sealed at rest and still shown masked."""

from django.db import connection

from tests.factories import dossier_at_desk


def test_the_applicant_id_is_sealed_in_the_database(desk):
    from cuakhau.procedures.models import Dossier

    dossier = dossier_at_desk(desk, applicant_name="Nguyễn Văn An", applicant_id="020085001234")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_id, applicant_id_index FROM procedures_dossier WHERE id = %s", [dossier.pk]
        )
        raw, index = cursor.fetchone()
    assert "020085001234" not in raw and "001234" not in raw and len(index) == 64
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.applicant_id == "020085001234" and fresh.masked_applicant_id == "0200******34"


def test_a_closed_dossier_past_retention_is_exported_then_anonymised(desk):
    import datetime

    from django.utils import timezone

    from cuakhau.core import personal_data
    from cuakhau.procedures.models import Dossier

    dossier = dossier_at_desk(desk, applicant_name="Nguyễn Văn An", applicant_id="020085001234")
    data = personal_data.export(actor=desk, id_number="020085001234")
    assert data["records"]["procedures.dossier"][0]["code"] == dossier.code
    Dossier.objects.filter(pk=dossier.pk).update(
        status="returned", updated_at=timezone.now() - datetime.timedelta(days=11 * 365)
    )
    assert personal_data.erase_due(actor=desk) == {"procedures.dossier": 1}
    dossier.refresh_from_db()
    assert dossier.applicant_name == personal_data.PLACEHOLDER and dossier.applicant_id == ""
    assert dossier.code and dossier.status == "returned"
    assert "procedures.dossier" not in personal_data.export(actor=desk, id_number="020085001234")["records"]
