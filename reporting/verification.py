"""Does a PDF or a fingerprint match a signed-off assessment?"""

import hashlib
from dataclasses import dataclass

from assessments.models import Assessment, Snapshot
from reporting.models import BoardPack, RenderedPdf


@dataclass
class Verification:
    matched: bool
    assessment: Assessment | None = None
    pack: BoardPack | None = None
    what: str = ""  # what matched: the PDF, the record's fingerprint, a board pack


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def verify_upload(upload) -> Verification:
    return _lookup(_sha256_of(upload), uploaded=True)


def verify_fingerprint(value: str) -> Verification:
    return _lookup(value, uploaded=False)


def _lookup(sha256: str, *, uploaded: bool) -> Verification:
    rendered = (
        RenderedPdf.objects.filter(sha256=sha256, status=RenderedPdf.Status.READY)
        .select_related("snapshot__assessment")
        .first()
    )
    if rendered:
        return Verification(True, rendered.snapshot.assessment, what="PDF")
    if not uploaded:
        snapshot = Snapshot.objects.filter(sha256=sha256).select_related("assessment").first()
        if snapshot:
            return Verification(True, snapshot.assessment, what="record")
    pack = BoardPack.objects.filter(sha256=sha256, status=BoardPack.Status.READY).first()
    if pack:
        return Verification(True, pack=pack, what="pack")
    return Verification(False)
