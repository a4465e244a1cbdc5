"""Identity document numbers are sealed at rest: the column holds ciphertext under the data key,
lookups go through the keyed blind index, and a key rotation (`personal-data rekey`) keeps every row
readable and findable."""

import base64
import os

import pytest
from django.db import connection
from django.test import override_settings

from cuakhau.core import sealed
from cuakhau.parties import services
from cuakhau.parties.models import Driver, IdKind
from cuakhau.parties.selectors import driver_by_id_number, drivers_with_id_number

NUMBER = "020085001234"


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def driver(db):
    return services.driver_register(
        actor=None, full_name="Hà Văn Sơn", id_kind=IdKind.CCCD, id_number="020 085 001 234"
    )


def test_the_database_holds_no_readable_id_number(driver):
    raw = _raw("parties_driver", "id_number", driver.pk)
    index = _raw("parties_driver", "id_number_index", driver.pk)
    assert NUMBER not in raw and "001234" not in raw and raw.startswith(f"{sealed.current_key_id()}:")
    assert NUMBER not in index and len(index) == 64
    assert Driver.objects.get(pk=driver.pk).id_number == NUMBER  # read back in Python


def test_two_rows_with_one_number_are_sealed_differently(db):
    assert sealed.seal(NUMBER) != sealed.seal(NUMBER)  # a fresh nonce each time
    assert sealed.blind_index(NUMBER) == sealed.blind_index("020.085.001-234")


def test_lookups_go_through_the_blind_index(driver):
    assert driver_by_id_number(Driver.objects.all(), "020085 001234") == driver
    assert driver_by_id_number(Driver.objects.all(), "020085001235") is None
    assert driver_by_id_number(Driver.objects.exclude(pk=driver.pk), NUMBER) is None
    with pytest.raises(TypeError):
        list(Driver.objects.filter(id_number=NUMBER))  # the plaintext is never searched


def test_a_tampered_value_does_not_open(driver):
    raw = _raw("parties_driver", "id_number", driver.pk)
    body = bytearray(base64.urlsafe_b64decode(raw.split(":", 1)[1]))
    body[-1] ^= 1
    with pytest.raises(sealed.SealError):
        sealed.unseal(raw.split(":", 1)[0] + ":" + base64.urlsafe_b64encode(bytes(body)).decode())


def test_a_second_registration_of_the_number_is_refused(driver):
    with pytest.raises(Exception) as caught:
        services.driver_register(actor=None, full_name="B", id_kind=IdKind.CCCD, id_number=NUMBER)
    assert getattr(caught.value, "field", "") == "id_number"


def test_rotation_keeps_rows_readable_and_rekey_moves_them_to_the_new_key(driver):
    from django.conf import settings

    new_key = os.urandom(32)
    keys = dict(settings.PERSONAL_DATA_KEYS) | {"9": new_key}
    with override_settings(PERSONAL_DATA_KEYS=keys, PERSONAL_DATA_KEY_ID="9"):
        # before the rekey: the old row still opens and is still found
        assert Driver.objects.get(pk=driver.pk).id_number == NUMBER
        assert drivers_with_id_number(Driver.objects.all(), NUMBER).get() == driver
        assert sealed.reseal_table(connection, "parties_driver", "id_number", "id_number_index") == 1
        assert _raw("parties_driver", "id_number", driver.pk).startswith("9:")
        assert _raw("parties_driver", "id_number_index", driver.pk) == sealed.blind_index(NUMBER, "9")
        assert driver_by_id_number(Driver.objects.all(), NUMBER) == driver
    with override_settings(PERSONAL_DATA_KEYS={"9": new_key}, PERSONAL_DATA_KEY_ID="9"):
        assert Driver.objects.get(pk=driver.pk).id_number == NUMBER  # the old key is no longer needed


def test_the_migration_step_seals_plaintext_rows_in_place(driver):
    with connection.cursor() as cursor:  # a row as it stood before the migration
        cursor.execute(
            "UPDATE parties_driver SET id_number = %s, id_number_index = '' WHERE id = %s",
            [NUMBER, driver.pk],
        )
    assert sealed.reseal_table(connection, "parties_driver", "id_number", "id_number_index") == 1
    assert NUMBER not in _raw("parties_driver", "id_number", driver.pk)
    assert driver_by_id_number(Driver.objects.all(), NUMBER) == driver


def test_bulk_writes_seal_and_index_too(db):
    (made,) = Driver.objects.bulk_create(
        [Driver(full_name="SYN", id_kind=IdKind.CCCD, id_number="SYN000000001")]
    )
    assert "SYN000000001" not in _raw("parties_driver", "id_number", made.pk)
    assert driver_by_id_number(Driver.objects.all(), "SYN000000001").pk == made.pk
