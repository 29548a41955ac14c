"""Does a PDF or a fingerprint match a signed-off assessment? Do the stored records still
match their fingerprints?"""

import hashlib
from dataclasses import dataclass, field

from assessments.models import Assessment, Evidence, Snapshot
from assessments.snapshots import FingerprintMismatch, snapshot_verify
from outcomes.models import OutcomeReview
from outcomes.services import OutcomeFingerprintMismatch, outcome_review_verify
from reporting.models import BoardPack, RenderedPdf


@dataclass
class Verification:
    matched: bool
    assessment: Assessment | None = None
    pack: BoardPack | None = None
    what: str = ""  # what matched: the PDF, the record's fingerprint, a board pack
    current: Assessment | None = None  # the version signed off since, if it was superseded

    @property
    def superseded(self) -> bool:
        return self.assessment is not None and self.assessment.status == Assessment.Status.SUPERSEDED

    @property
    def withdrawn(self) -> bool:
        return self.assessment is not None and self.assessment.status == Assessment.Status.WITHDRAWN


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
        assessment = rendered.snapshot.assessment
        return Verification(True, assessment, what="PDF", current=current_version(assessment))
    if not uploaded:
        snapshot = Snapshot.objects.filter(sha256=sha256).select_related("assessment").first()
        if snapshot:
            assessment = snapshot.assessment
            return Verification(True, assessment, what="record", current=current_version(assessment))
    pack = BoardPack.objects.filter(sha256=sha256, status=BoardPack.Status.READY).first()
    if pack:
        return Verification(True, pack=pack, what="pack")
    return Verification(False)


def current_version(assessment: Assessment) -> Assessment | None:
    """The signed-off version that has replaced a superseded one (None if it is current)."""
    if assessment.status != Assessment.Status.SUPERSEDED:
        return None
    current = assessment
    while True:
        later = (
            Assessment.objects.filter(previous=current, status__in=Assessment.FROZEN_STATUSES)
            .order_by("-version_number")
            .first()
        )
        if later is None:
            return current if current != assessment else None
        current = later


@dataclass
class RecordsCheck:
    """What ``records_verify`` checked, and every record that does not match."""

    snapshots: int = 0
    pdfs: int = 0
    packs: int = 0
    outcome_reviews: int = 0
    evidence_files: int = 0
    mismatches: list[str] = field(default_factory=list)


def _stored_sha256(stored_file) -> str:
    digest = hashlib.sha256()
    with stored_file.open("rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def _file_mismatch(stored_file, sha256: str, what: str) -> str | None:
    if not stored_file:
        return f"{what}: no file is recorded."
    try:
        actual = _stored_sha256(stored_file)
    except (FileNotFoundError, OSError) as error:
        return f"{what}: the file {stored_file.name} cannot be read ({type(error).__name__})."
    if actual != sha256:
        return f"{what}: the file {stored_file.name} has SHA-256 {actual}, not the {sha256} recorded."
    return None


def records_verify() -> RecordsCheck:
    """Check every snapshot and signed-off outcome review against its fingerprint, and every
    stored PDF, board pack and evidence file against its own SHA-256 (after a restore, say)."""
    check = RecordsCheck()
    snapshots = Snapshot.objects.select_related("assessment").order_by("pk")
    for snapshot in snapshots.iterator(chunk_size=200):
        check.snapshots += 1
        try:
            snapshot_verify(snapshot)
        except FingerprintMismatch as error:
            check.mismatches.append(str(error))
    ready = RenderedPdf.objects.filter(status=RenderedPdf.Status.READY).select_related("snapshot__assessment")
    for rendered in ready.order_by("pk").iterator(chunk_size=200):
        check.pdfs += 1
        assessment = rendered.snapshot.assessment
        what = f"PDF of {assessment.reference} version {assessment.version_number}"
        if problem := _file_mismatch(rendered.file, rendered.sha256, what):
            check.mismatches.append(problem)
    for pack in BoardPack.objects.filter(status=BoardPack.Status.READY).order_by("pk").iterator():
        check.packs += 1
        if problem := _file_mismatch(pack.file, pack.sha256, f"Board pack “{pack.title}” ({pack.pk})"):
            check.mismatches.append(problem)
    reviews = OutcomeReview.objects.signed_off().select_related("assessment").order_by("pk")
    for review in reviews.iterator(chunk_size=200):
        check.outcome_reviews += 1
        try:
            outcome_review_verify(review)
        except OutcomeFingerprintMismatch as error:
            check.mismatches.append(str(error))
    files = Evidence.objects.filter(kind=Evidence.Kind.FILE).select_related("assessment").order_by("pk")
    for item in files.iterator(chunk_size=200):
        check.evidence_files += 1
        assessment = item.assessment
        what = f"Evidence “{item.title}” of {assessment.reference} version {assessment.version_number}"
        if problem := _file_mismatch(item.file, item.sha256, what):
            check.mismatches.append(problem)
    return check
