"""What an evidence file is, by its content and never by its name.

Binary formats are recognised by their signature (the ``filetype`` library); a file with no
signature is accepted only as CSV or plain text, after a structural check: it decodes as text,
holds no control characters and reads as rows. The name's extension must agree with what the
content is, so that nobody downloads an image called a spreadsheet.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

ALLOWED_DESCRIPTION = (
    "a PDF, Word document, Excel spreadsheet, CSV or text file, or an image (PNG, JPEG, GIF or WebP)"
)
TYPE_MESSAGE = (
    f"The selected file must be {ALLOWED_DESCRIPTION}: its content is none of these, whatever its name says"
)
NAME_MESSAGE = (
    "The name of the selected file ends in .{extension}, but its content is {label}: "
    "rename it or choose another file"
)
EMPTY_MESSAGE = "The selected file is empty"
SIZE_MESSAGE = "The selected file must be smaller than {limit}"
CHOOSE_MESSAGE = "Select a file to upload"
TEXT_CHECKED = 64 * 1024  # the part of a text file whose rows are checked


@dataclass(frozen=True)
class Allowed:
    content_type: str
    label: str  # what the content is, in a sentence
    extensions: tuple[str, ...]  # the names it may have


# By the extension ``filetype`` gives the content it recognises.
BINARY_TYPES = {
    "pdf": Allowed("application/pdf", "a PDF", ("pdf",)),
    "doc": Allowed("application/msword", "a Word document", ("doc",)),
    "docx": Allowed(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "a Word document",
        ("docx",),
    ),
    "xls": Allowed("application/vnd.ms-excel", "an Excel spreadsheet", ("xls",)),
    "xlsx": Allowed(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel spreadsheet", ("xlsx",)
    ),
    "png": Allowed("image/png", "a PNG image", ("png",)),
    "jpg": Allowed("image/jpeg", "a JPEG image", ("jpg", "jpeg")),
    "gif": Allowed("image/gif", "a GIF image", ("gif",)),
    "webp": Allowed("image/webp", "a WebP image", ("webp",)),
}
CSV = Allowed("text/csv", "a CSV file", ("csv",))
TEXT = Allowed("text/plain", "a text file", ("txt",))
ACCEPT = ",".join(
    f".{extension}" for allowed in (*BINARY_TYPES.values(), CSV, TEXT) for extension in allowed.extensions
)


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class Inspected:
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _head(upload, length: int) -> bytes:
    upload.seek(0)
    data = upload.read(length)
    upload.seek(0)
    return data


def _decoded(data: bytes) -> str | None:
    """The text of ``data`` (UTF-8, or Windows' Western encoding as spreadsheets save it), or None."""
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            if encoding == "utf-8-sig" and error.start >= len(data) - 3:
                text = data[: error.start].decode(encoding)  # a character cut at the end of the part read
            else:
                continue
        if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
            return None
        return text
    return None


def _reads_as_rows(text: str) -> bool:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        return False
    return bool(rows)


def _text_kind(upload) -> Allowed | None:
    text = _decoded(_head(upload, TEXT_CHECKED))
    if text is None or not text.strip():
        return None
    if _extension(upload.name) == "csv":
        return CSV if _reads_as_rows(text) else None
    return TEXT


def inspect_upload(upload) -> Inspected:
    """The upload's type by its content, its size and SHA-256; ``ValidationError`` when refused."""
    limit = max_upload_bytes()
    if upload.size == 0:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    if upload.size > limit:
        raise ValidationError(SIZE_MESSAGE.format(limit=filesizeformat(limit)), code="size")
    kind = filetype.guess(_head(upload, 8192))
    allowed = BINARY_TYPES.get(kind.extension) if kind is not None else _text_kind(upload)
    if allowed is None:
        raise ValidationError(TYPE_MESSAGE, code="type")
    extension = _extension(upload.name)
    if extension not in allowed.extensions:
        raise ValidationError(NAME_MESSAGE.format(extension=extension, label=allowed.label), code="name")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Inspected(allowed.content_type, upload.size, digest.hexdigest())
