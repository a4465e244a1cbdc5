"""Identity document numbers sealed at rest (Law 91/2025/QH15 on Personal Data Protection; see
docs/personal-data.md). A number is stored as `<key id>:<base64 nonce+AES-256-GCM ciphertext>` under a
key from the environment, and found by a keyed blind index (HMAC-SHA256 of the normalised number with
a key derived from the data key for that purpose only), never by its plaintext.

    id_number = SealedField(_("số giấy tờ"))                 # reads and writes plaintext in Python
    id_number_index = BlindIndexField(source="id_number")    # filled from it on every save/bulk_create
    Driver.objects.filter(id_number_index__in=index_candidates(number))

Keys (settings, read from the environment):
    PERSONAL_DATA_KEYS   {key id: 32-byte key}; the current one seals, every one opens
    PERSONAL_DATA_KEY_ID the current key's id
Rotating: add the new key, make it current, keep the old one, run `cuakhau personal-data rekey`, then
drop the old key. Lookups try the index under every key, so nothing is missed before the rekey ends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

NONCE_BYTES = 12
_AAD = b"cuakhau.personal-data.v1"


class SealError(ValueError):
    """A sealed value that cannot be opened (unknown key id, tampered or not sealed at all)."""


def _keys() -> dict[str, bytes]:
    return dict(settings.PERSONAL_DATA_KEYS)


def current_key_id() -> str:
    return str(settings.PERSONAL_DATA_KEY_ID)


def normalise(number: str) -> str:
    """The form every lookup and every index uses: no spaces, dots or dashes, upper case."""
    return re.sub(r"[\s.\-]", "", str(number or "")).upper()


def seal(plaintext: str) -> str:
    if plaintext in (None, ""):
        return ""
    key_id = current_key_id()
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(_keys()[key_id]).encrypt(nonce, str(plaintext).encode(), _AAD)
    return f"{key_id}:{base64.urlsafe_b64encode(nonce + box).decode()}"


def key_id_of(sealed: str) -> str:
    return sealed.split(":", 1)[0] if sealed and ":" in sealed else ""


def unseal(sealed: str) -> str:
    if sealed in (None, ""):
        return ""
    key_id, _, body = str(sealed).partition(":")
    key = _keys().get(key_id)
    if not body or key is None:
        raise SealError(f"no key {key_id!r} to open a sealed value")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _AAD).decode()
    except Exception as exc:  # InvalidTag, bad base64: the value was not sealed by us
        raise SealError("a sealed value could not be opened") from exc


def _index_key(key: bytes) -> bytes:
    # A separate key for the index, derived from the data key (never the data key itself).
    return hmac.new(key, b"cuakhau blind index v1", hashlib.sha256).digest()


def blind_index(number: str, key_id: str | None = None) -> str:
    text = normalise(number)
    if not text:
        return ""
    key = _keys()[key_id or current_key_id()]
    return hmac.new(_index_key(key), text.encode(), hashlib.sha256).hexdigest()


def index_candidates(number: str) -> list[str]:
    """The number's index under every key held (the current first): a lookup during a rotation still
    finds the rows not yet rekeyed."""
    ids = [current_key_id()] + [k for k in _keys() if k != current_key_id()]
    return [value for value in (blind_index(number, k) for k in ids) if value]


class SealedField(models.TextField):
    """Plaintext in Python, `<key id>:<ciphertext>` in the database. Not searchable: filter on the
    BlindIndexField beside it."""

    def from_db_value(self, value, expression, connection):
        return unseal(value) if value else value

    def get_lookup(self, lookup_name):
        # A sealed value never equals its plaintext: filter on the blind index instead.
        if lookup_name != "isnull":
            raise TypeError(f"a sealed field cannot be searched with __{lookup_name}; use its blind index")
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value) if value else (value or "")


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of the `source` field's normalised value, computed whenever the row is written
    (save and bulk_create both call pre_save)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source, "") or "")
        setattr(model_instance, self.attname, value)
        return value


def reseal_table(connection, table: str, column: str, index_column: str | None) -> int:
    """Seal (or reseal under the current key) every value of `table.column` in place, with raw SQL
    (a migration's plaintext rows, or a rekey); returns the number of rows rewritten."""
    qn = connection.ops.quote_name
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)} FROM {qn(table)}")  # noqa: S608 (names are ours)
        rows = cursor.fetchall()
        for pk, value in rows:
            if not value:
                continue
            key_id = key_id_of(value)
            try:
                plain = unseal(value) if key_id in _keys() else value
            except SealError:
                plain = value  # an unsealed plaintext that happens to contain ':'
            if key_id == current_key_id() and plain != value:
                sealed, fresh = value, False
            else:
                sealed, fresh = seal(plain), True
            sets, params = [f"{qn(column)} = %s"], [sealed]
            if index_column:
                sets.append(f"{qn(index_column)} = %s")
                params.append(blind_index(plain))
            if fresh or index_column:
                cursor.execute(f"UPDATE {qn(table)} SET {', '.join(sets)} WHERE id = %s", [*params, pk])  # noqa: S608
                done += fresh
    return done


def unseal_table(connection, table: str, column: str) -> None:
    """The reverse of reseal_table (a migration rolled back): plaintext again."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)} FROM {qn(table)}")  # noqa: S608
        for pk, value in cursor.fetchall():
            if value and key_id_of(value) in _keys():
                cursor.execute(f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s", [unseal(value), pk])  # noqa: S608
