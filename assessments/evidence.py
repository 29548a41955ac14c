"""Writes and reads of an assessment's evidence: links and files.

Evidence changes only while the assessment is being written (draft, or changes requested): from
submission on it is what the approver read and what the snapshot lists. A file deleted in a draft
leaves the storage too, unless another version's row still points at it (a re-assessment links to
the files of the version before instead of copying them).
"""

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet

from assessments.models import Assessment, Evidence
from assessments.permissions import Act, ensure
from assessments.refusals import Refused
from assessments.services import content_changed
from assessments.uploads import inspect_upload

# The section of the template whose page shows the evidence attached and links to its page.
EVIDENCE_SECTION = "evidence"

__all__ = [
    "EVIDENCE_SECTION",
    "assessment_evidence",
    "evidence_copy",
    "evidence_delete",
    "evidence_file_add",
    "evidence_link_add",
    "evidence_snapshot",
]


def assessment_evidence(assessment: Assessment) -> QuerySet[Evidence]:
    """The assessment's evidence in the order it was added, with the groups it supports."""
    return Evidence.objects.filter(assessment=assessment).select_related("characteristic").order_by("pk")


def _ensure_open(user, assessment: Assessment) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_editable:
        raise PermissionDenied(Refused.EVIDENCE_FROZEN)
    ensure(Act.EDIT, user, assessment)
    return assessment


def _ensure_group(assessment: Assessment, characteristic) -> None:
    if characteristic is not None and characteristic.version_id != assessment.framework_version_id:
        raise PermissionDenied(Refused.NOT_FOUND)


@transaction.atomic
def evidence_link_add(*, assessment: Assessment, user, title: str, url: str, characteristic=None) -> Evidence:
    assessment = _ensure_open(user, assessment)
    _ensure_group(assessment, characteristic)
    item = Evidence(
        assessment=assessment,
        kind=Evidence.Kind.LINK,
        title=title.strip(),
        url=url.strip(),
        characteristic=characteristic,
        added_by=user,
    )
    item.full_clean()
    item.save()
    content_changed(assessment)
    return item


@transaction.atomic
def evidence_file_add(
    *, assessment: Assessment, user, upload, title: str = "", characteristic=None
) -> Evidence:
    """Store an uploaded file once its content is checked (``uploads.inspect_upload``)."""
    assessment = _ensure_open(user, assessment)
    _ensure_group(assessment, characteristic)
    inspected = inspect_upload(upload)
    name = upload.name.rsplit("/", 1)[-1][:255]
    item = Evidence(
        assessment=assessment,
        kind=Evidence.Kind.FILE,
        title=title.strip() or name,
        file_name=name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        characteristic=characteristic,
        added_by=user,
    )
    item.file.save(name, upload, save=False)
    stored = item.file.name
    try:
        item.save()
    except Exception:
        default_storage.delete(stored)
        raise
    content_changed(assessment)
    return item


def _forget_file(name: str) -> None:
    if name and not Evidence.objects.filter(file=name).exists():
        default_storage.delete(name)


@transaction.atomic
def evidence_delete(*, item: Evidence, user) -> None:
    assessment = _ensure_open(user, item.assessment)
    name = item.file.name if item.is_file else ""
    item.delete()
    content_changed(assessment)
    if name:
        transaction.on_commit(lambda: _forget_file(name))


def evidence_copy(*, old: Assessment, new: Assessment, characteristics: dict, user) -> list[str]:
    """A re-assessment's evidence: rows pointing at the same stored files, the groups matched by key.

    Returns what could not be kept as it was (a group not in the new framework version).
    """
    lost = []
    for item in assessment_evidence(old):
        group = item.characteristic
        target = characteristics.get(group.key) if group else None
        if group is not None and target is None:
            lost.append(
                f"Evidence “{item.title}”: its group is not in the current framework; "
                "it now supports the assessment as a whole."
            )
        Evidence.objects.create(
            assessment=new,
            kind=item.kind,
            characteristic=target,
            title=item.title,
            url=item.url,
            file=item.file.name,
            file_name=item.file_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            added_by=user,
        )
    return lost


def evidence_snapshot(assessment: Assessment) -> list[dict]:
    """What the signed snapshot records of the evidence: links by title and address, files by
    name, size and SHA-256 (the file itself stays in storage)."""
    document = []
    for item in assessment_evidence(assessment):
        entry = {
            "kind": item.kind,
            "title": item.title,
            "group": item.characteristic.name if item.characteristic else None,
        }
        if item.is_file:
            entry |= {
                "name": item.file_name,
                "size": item.size,
                "sha256": item.sha256,
                "content_type": item.content_type,
            }
        else:
            entry["url"] = item.url
        document.append(entry)
    return document
