"""The files of a dossier: kinds recognised by their first bytes (core.uploads), with this app's own
limits and messages."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from cuakhau.core import uploads
from cuakhau.core.errors import ServiceError

from .models import Dossier, DossierFile

MAX_FILE_BYTES = 10 * 1024 * 1024


MAX_FILES = 20


# extension -> (content type, signatures), from core's one table of file kinds
ALLOWED_FILES = uploads.file_types("pdf", "jpg", "jpeg", "png", "docx", "xlsx")


def check_file(upload, field: str = "files") -> tuple[str, bytes, str]:
    """(safe name, content, content type) of an upload, or ServiceError naming the rule broken."""
    name = PurePath(getattr(upload, "name", "") or "tep").name[:150]
    ext = uploads.extension(name)
    if ext not in ALLOWED_FILES:
        raise ServiceError(
            _("Tệp %(name)s: chỉ nhận PDF, JPG, PNG, DOCX hoặc XLSX.") % {"name": name}, field=field
        )
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp %(name)s lớn quá 10 MB.") % {"name": name}, field=field)
    upload.seek(0) if hasattr(upload, "seek") else None
    content = upload.read()
    if len(content) > MAX_FILE_BYTES:
        raise ServiceError(_("Tệp %(name)s lớn quá 10 MB.") % {"name": name}, field=field)
    if not content:
        raise ServiceError(_("Tệp %(name)s rỗng.") % {"name": name}, field=field)
    content_type, magics = ALLOWED_FILES[ext]
    if not uploads.has_signature(content, magics):
        raise ServiceError(
            _("Tệp %(name)s không đúng định dạng %(ext)s.") % {"name": name, "ext": ext.upper()}, field=field
        )
    return name, content, content_type


def store_files(dossier: Dossier, files, kind: str, actor, at) -> list[DossierFile]:
    """Check and store a dossier's uploads; called by the dossier services inside their transaction."""
    files = list(files or [])
    if dossier.files.count() + len(files) > MAX_FILES:
        raise ServiceError(_("Mỗi hồ sơ tối đa %(n)s tệp.") % {"n": MAX_FILES}, field="files")
    stored = []
    for upload in files:
        document = getattr(upload, "document", "") or ""
        name, content, content_type = check_file(upload)
        item = DossierFile(
            dossier=dossier,
            kind=kind,
            document=document[:300],
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_at=at,
            uploaded_by=actor,
        )
        item.file.save(
            f"{secrets.token_hex(12)}.{name.rsplit('.', 1)[-1].lower()}", ContentFile(content), save=False
        )
        item.save()
        stored.append(item)
    return stored
