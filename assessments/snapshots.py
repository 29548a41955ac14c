"""The snapshot made at sign-off: the whole assessment with the framework text it used.

The document is canonical JSON (sorted keys, no insignificant spaces, UTF-8), so the same
content always gives the same bytes and the same SHA-256.
"""

import hashlib
import json

from django.utils import timezone

from assessments.evidence import evidence_snapshot
from assessments.places import places_document
from assessments.screening_summary import screening_document
from assessments.selectors import AssessmentContent
from assessments.summary import assessment_summary
from frameworks.models import Characteristic
from frameworks.scales import Scale
from thrive_edi.people import person_name

SNAPSHOT_FORMAT = 1


def canonical_json(document: dict) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FingerprintMismatch(Exception):
    """A snapshot's document no longer gives the fingerprint stored at sign-off."""

    def __init__(self, snapshot):
        assessment = snapshot.assessment
        super().__init__(
            f"The signed-off record of {assessment.reference} version {assessment.version_number} "
            f"(snapshot {snapshot.pk}) does not match its fingerprint: it was changed after sign-off."
        )
        self.snapshot = snapshot


def snapshot_verify(snapshot) -> None:
    """Recompute a snapshot's SHA-256; raise ``FingerprintMismatch`` unless it is the stored one.

    Everything made from a snapshot (its PDF, a board pack) calls this first.
    """
    if fingerprint(snapshot.document) != snapshot.sha256:
        raise FingerprintMismatch(snapshot)


def _person(user) -> str | None:
    return person_name(user) if user else None


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def snapshot_document(content: AssessmentContent, *, signed_off_by, signed_off_at, feedback=()) -> dict:
    assessment, version = content.assessment, content.version
    previous = assessment.previous
    screening = screening_document(assessment)
    return {
        "format": SNAPSHOT_FORMAT,
        "assessment": {
            "reference": assessment.reference,
            "title": assessment.title,
            "version_number": assessment.version_number,
            "previous_reference": previous.reference if previous else None,
            "activity_type": {
                "key": assessment.activity_type,
                "label": version.label_for(Scale.ACTIVITY_TYPE, assessment.activity_type),
            },
            "summary": assessment.summary,
            "owner": _person(assessment.owner),
            "collaborators": sorted(_person(user) for user in assessment.collaborators.all()),
            "partners": sorted(partner.name for partner in assessment.partners.all()),
            "places": places_document(assessment),
            "decision": {
                "key": assessment.decision,
                "label": version.label_for(Scale.DECISION, assessment.decision)
                if assessment.decision
                else None,
            },
            "review_date": assessment.review_date.isoformat() if assessment.review_date else None,
            "scope": {"key": assessment.scope, "label": assessment.get_scope_display()},
            "submitted_at": _when(assessment.submitted_at),
            "signed_off_at": _when(signed_off_at),
            "signed_off_by": _person(signed_off_by),
        },
        "framework": {
            "name": version.name,
            "version": version.label,
            "principles": [
                {
                    "key": p.principle.key,
                    "name": p.principle.name,
                    "questions": list(p.principle.guiding_questions),
                }
                for p in content.alignments
            ],
            "characteristics": [
                {
                    "key": r.characteristic.key,
                    "name": r.characteristic.name,
                    "protected": r.characteristic.kind == Characteristic.Kind.PROTECTED,
                }
                for r in content.ratings
            ],
        },
        # The screening, when there is one, is the first section the record shows.
        "sections": ([screening] if screening else [])
        + [
            {
                "key": item.section.key,
                "title": item.section.title,
                "purpose": item.section.purpose,
                "answers": [{"question": row.key, "answer": row.value} for row in item.rows],
                "tables": [
                    {
                        "caption": table.caption,
                        "headers": table.headers,
                        "rows": table.rows,
                        **({"note": table.note} if table.note else {}),
                    }
                    for table in item.tables
                ],
            }
            for item in assessment_summary(content)
        ],
        "ratings": [
            {
                "characteristic": r.characteristic.key,
                "impact": r.impact,
                "confidence": r.confidence,
                "data_gap": r.data_gap,
                "relevant": r.is_relevant,
                "not_relevant_reason": r.not_relevant_reason,
            }
            for r in content.ratings
        ],
        "evidence": evidence_snapshot(assessment),
        "board_feedback": list(feedback),
    }
