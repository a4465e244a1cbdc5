"""The one table of the office files and photos the Board accepts as uploads, and the one check that a
file is what its name says: by its first bytes (its signature), never by its name or the browser's
content type. Each app picks the kinds it takes and keeps its own size limits and messages:

    EVIDENCE_TYPES = uploads.file_types("pdf", "docx", "jpg")
    content_type, signatures = EVIDENCE_TYPES[uploads.extension(name)]
    if not uploads.has_signature(head, signatures): ...

Photos that must lose their metadata (incidents) are decoded and re-encoded instead (incidents.photos):
a signature says what a file is, not that it is safe to publish.
"""

from __future__ import annotations

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"  # docx and xlsx are zip packages (Office Open XML)
OLE = b"\xd0\xcf\x11\xe0"  # doc and xls are OLE compound files

# extension (lower case, no dot) -> (content type, the signatures the file may start with)
FILE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (PDF,)),
    "png": ("image/png", (PNG,)),
    "jpg": ("image/jpeg", (JPEG,)),
    "jpeg": ("image/jpeg", (JPEG,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "doc": ("application/msword", (OLE,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
}


def file_types(*extensions: str) -> dict[str, tuple[str, tuple[bytes, ...]]]:
    """The entries of FILE_TYPES for these extensions, in the order given (an unknown one is a bug)."""
    return {ext: FILE_TYPES[ext] for ext in extensions}


def extension(name: str) -> str:
    """The file name's extension, lower case and without the dot; '' when it has none."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def has_signature(head: bytes, signatures: tuple[bytes, ...]) -> bool:
    """Whether the file's first bytes are one of the signatures of its kind."""
    return head.startswith(signatures)


def head(upload, size: int = 16) -> bytes:
    """The first bytes of an uploaded file, leaving it at the start for whoever saves it."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    first = upload.read(size) or b""
    if hasattr(upload, "seek"):
        upload.seek(0)
    return first
