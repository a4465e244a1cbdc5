"""Photos sent with incident reports. Only real JPEG, PNG or WebP images under the size limit are
accepted (Pillow must open and decode them; the name or the browser's content type is not trusted),
and each is re-encoded from its pixels alone, so that no EXIF block (GPS position, time, camera
serial) and no other metadata reaches storage."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cuakhau.core.errors import ServiceError

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a phone photo
MAX_SIDE = 2560  # stored photos are scaled down to this on their longer side


def max_bytes() -> int:
    return int(getattr(settings, "INCIDENT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _refuse(message: str, field: str) -> ServiceError:
    return ServiceError(message, field=field)


def clean_photo(upload, *, field: str = "photo", label: str | None = None) -> CleanPhoto:
    """The photo re-encoded without metadata, or ServiceError naming the field and the rule."""
    label = label or _("Ảnh")
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _refuse(
            _("%(label)s: tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"label": label, "size": _mb(size), "max": _mb(limit)},
            field,
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            _("%(label)s: tệp quá lớn; tối đa %(max)s MB.") % {"label": label, "max": _mb(limit)}, field
        )
    if not data:
        raise _refuse(_("%(label)s: tệp rỗng.") % {"label": label}, field)
    not_image = _("%(label)s: tệp không phải ảnh JPEG, PNG hoặc WebP.") % {"label": label}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in FORMATS:
                raise _refuse(not_image, field)
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(
                    _("%(label)s: ảnh quá nhiều điểm ảnh (%(w)s × %(h)s).")
                    % {"label": label, "w": probe.width, "h": probe.height},
                    field,
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.seek(0)  # the first frame of an animation
            image.load()
    except ServiceError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        EOFError,
    ) as exc:
        raise _refuse(not_image, field) from exc
    fmt = image.format
    content_type, extension = FORMATS[fmt]
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop the tag
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    if fmt == "JPEG" or image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    # Rebuilt from its pixels alone: no info dict, no EXIF, no XMP, no ICC, no text chunks.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if fmt == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=85)
    return CleanPhoto(out.getvalue(), content_type, extension, bare.width, bare.height)


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
