"""Security issue 13, item 5: a declarations upload of more than settings.UPLOAD_BACKGROUND_ROWS data
rows is read and bounded first, then kept (scoped to the uploader's enterprise) and checked by the
background worker; the page goes to a progress page that polls itself (htmx) and shows the rows
checked, then the result: the drafts created, or every error by row, as the synchronous upload's."""

import pytest
from django_tasks_db.models import DBTaskResult

from cuakhau.core.models import AuditEvent
from cuakhau.traffic.models import Declaration, UploadJob
from cuakhau.traffic.services import upload
from cuakhau.traffic.tasks import run_upload
from tests.traffic.test_data_entry import TEMPLATE, UPLOAD, _fill, _person_row, _workbook

pytestmark = pytest.mark.django_db


def _rows(trip, **over):
    """Three rows: trip 1 (two goods lines, truck A), trip 2 (one line, truck A2)."""
    return [
        _person_row(trip, **over),
        _person_row(trip, **{"Mã HS": "07031019", "Mô tả hàng hóa": "Hành tây"}),
        _person_row(trip, **{"Số chuyến": "2", "Biển số xe": "12C-111.12"}),
    ]


def _post(client, trip, **over):
    client.force_login(trip.users["user_a"])
    return client.post(UPLOAD, {"file": _fill(_workbook(client.get(TEMPLATE)), _rows(trip, **over))})


def test_a_large_upload_is_queued_then_shows_its_progress_then_the_drafts(
    trip, client, settings, monkeypatch
):
    settings.UPLOAD_BACKGROUND_ROWS = 2
    response = _post(client, trip)
    job = UploadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/traffic/declarations/upload/{job.pk}/"
    queued = DBTaskResult.objects.get()  # the test settings' backend, the worker's database queue
    assert (queued.task_path, queued.args_kwargs["args"]) == ("cuakhau.traffic.tasks.run_upload", [job.pk])
    assert (job.enterprise, job.created_by, job.total_rows, job.status) == (
        trip.a,
        trip.users["user_a"],
        3,
        "pending",
    )
    assert bytes(job.content)[:2] == b"PK" and not Declaration.objects.exists()
    assert AuditEvent.objects.filter(action="traffic.upload.enqueue", object_id=str(job.pk)).exists()

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and "Đã kiểm tra 0/3 dòng." in body
    assert 'hx-trigger="every 2s"' in body and f'hx-get="/traffic/declarations/upload/{job.pk}/"' in body
    assert "<script" not in body.split('id="upload-progress"')[1] and "style=" not in body

    # The worker: progress saved after each chunk of whole trips, outside the import's transaction.
    seen = []
    real = upload.rows_import

    def watching(**kwargs):
        seen.append(UploadJob.objects.get(pk=job.pk).checked_rows)
        return real(**kwargs)

    monkeypatch.setattr(upload, "rows_import", watching)
    monkeypatch.setattr(upload, "CHECK_CHUNK_ROWS", 1)
    assert run_upload.call(job.pk) == "done"
    assert seen == [0, 2, 3]  # trip 1 (two rows), trip 2, then the import of all
    job.refresh_from_db()
    assert (job.status, job.checked_rows, len(job.created_ids), bytes(job.content)) == ("done", 3, 2, b"")
    assert sorted(Declaration.objects.values_list("pk", flat=True)) == sorted(job.created_ids)
    assert AuditEvent.objects.filter(action="traffic.upload.finish", object_id=str(job.pk)).exists()

    fragment = client.get(f"/traffic/declarations/upload/{job.pk}/", headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # done: the polling stops
    assert "Đã kiểm tra 3/3 dòng." in body and "Đã nhập 2 tờ khai." in body
    for d in Declaration.objects.all():
        assert f"/traffic/declarations/{d.pk}/" in body


def test_a_large_upload_with_bad_rows_reports_every_error_and_imports_nothing(trip, client, settings):
    settings.UPLOAD_BACKGROUND_ROWS = 2
    response = _post(client, trip, **{"Cửa khẩu": "Không có", "Mã HS": "12"})
    job = UploadJob.objects.get()
    run_upload.call(job.pk)
    job.refresh_from_db()
    assert job.status == "refused" and not job.created_ids and not Declaration.objects.exists()
    rows = {(e["row"], e["column"]) for e in job.errors}
    K = upload.column_letter
    assert {(2, K("gate")), (2, K("hs_code"))} <= rows
    body = client.get(response["Location"]).content.decode()
    assert "chưa nhập tờ khai nào" in body and "Không có cửa khẩu “Không có”" in body
    assert AuditEvent.objects.filter(action="traffic.upload.refuse", object_id=str(job.pk)).exists()


def test_another_enterprise_and_the_staff_get_404(trip, client, settings):
    settings.UPLOAD_BACKGROUND_ROWS = 2
    response = _post(client, trip)
    url = response["Location"]
    for name in ("user_b", "user_c", "board_leader", "gate_operator"):
        client.force_login(trip.users[name])
        assert client.get(url).status_code == 404, name
    client.force_login(trip.users["admin"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_a_small_upload_is_still_imported_at_once(trip, client, settings):
    settings.UPLOAD_BACKGROUND_ROWS = 3
    response = _post(client, trip)
    assert response.status_code == 302 and response["Location"] == "/traffic/declarations/"
    assert Declaration.objects.count() == 2 and not UploadJob.objects.exists()
