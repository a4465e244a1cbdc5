"""Constants of the cooperation records that the pages and the services share: the documents a
meeting or an agreement takes, and the fields an edit form starts from."""

from __future__ import annotations

from cuakhau.core import uploads

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Checked by their first bytes (core.uploads): the name alone is not trusted.
DOCUMENT_TYPES = uploads.file_types("pdf", "docx", "doc", "xlsx", "jpg", "jpeg", "png")
COUNTERPART_FIELDS = ["name_vi", "name_zh", "kind", "region", "notes", "is_active"]
MEETING_FIELDS = [
    "title",
    "held_on",
    "place",
    "participants_vn",
    "participants_cn",
    "minutes_vi",
    "minutes_zh",
]
