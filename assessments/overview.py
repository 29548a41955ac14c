"""What an assessment's page shows beside its content: its signature, its comments, its
timeline and what the reader may do next.

Of a signed-off assessment these are read once and kept (``assessments.fragments``): they
change only with its last change."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from assessments.fragments import kept_value
from assessments.models import Assessment, AssessmentEvent, ReviewComment, Snapshot
from assessments.permissions import Act, flags_for, may
from assessments.selectors import linked_ids, review_comments
from assessments.signals import timeline_requested
from frameworks.models import Section
from thrive_edi.aggregates import split_joined
from thrive_edi.people import NAME_FIELDS, with_names


def read_signature(assessment: Assessment) -> None:
    """Set on a signed-off assessment what its page shows beside its content: its signer, its
    snapshot's fingerprint (not the document), the re-assessment of it that is not withdrawn
    (``live_next_version``) and its collaborators (``collaborator_pks``, read by
    ``permissions.is_involved``). Read in one query, then kept (``kept_value``): none of it
    changes while it stays signed off, but for a re-assessment started or withdrawn, which moves
    its last change. A draft has none of them, and reads nothing here."""
    if not assessment.is_frozen:
        return
    signature = kept_value("signature", assessment, lambda: _signature(assessment))
    signer = signature["signer"]
    assessment.signed_off_by = get_user_model()(**signer) if signer else None
    if signature["sha256"]:  # one signed off before snapshots were made has none
        assessment.snapshot = Snapshot(assessment=assessment, sha256=signature["sha256"])
    following = signature["next_version"]
    assessment.live_next_version = Assessment(previous=assessment, **following) if following else None
    assessment.collaborator_pks = signature["collaborators"]


def _signature(assessment: Assessment) -> dict:
    """``read_signature``'s facts as plain values: the assessment's own row and those of the
    versions that re-assess it, in the model's order (the latest change first, as
    ``live_next_version`` reads them)."""
    reassessing = Q(previous=assessment) & ~Q(status=Assessment.Status.WITHDRAWN)
    signer = [f"signed_off_by__{name}" for name in ("id", *NAME_FIELDS)]
    rows = list(
        Assessment.objects.filter(Q(pk=assessment.pk) | reassessing).values(
            "id",
            "reference",
            "version_number",
            *signer,
            "snapshot__sha256",
            collaborator_ids=linked_ids(Assessment, "collaborators"),
        )
    )
    own = next(row for row in rows if row["id"] == assessment.pk)
    following = next((row for row in rows if row["id"] != assessment.pk), None)
    return {
        "signer": {name.removeprefix("signed_off_by__"): own[name] for name in signer}
        if own["signed_off_by__id"]
        else None,
        "sha256": own["snapshot__sha256"],
        "next_version": {name: following[name] for name in ("id", "reference", "version_number")}
        if following
        else None,
        "collaborators": [int(pk) for pk in split_joined(own["collaborator_ids"])],
    }


def assessment_overview(user, assessment: Assessment, sections: list[Section] | None = None) -> dict:
    """What the assessment's page shows beside its task list: comments, timeline, next steps.

    ``sections``: the template's sections when the page has them, each comment's section taken
    from them rather than read again with the comments."""

    workings = may(Act.READ_WORKINGS, user, assessment)
    # A signed-off assessment's comments and events change only with its last change (a
    # re-assessment started moves it): kept, they are not read again at every request.
    comments, events = kept_value(
        f"overview-{int(workings)}", assessment, lambda: _comments_and_events(assessment, sections, workings)
    )
    timeline = sorted(
        [(event.at, event.get_kind_display(), event.actor, event.note) for event in events]
        + [
            (
                c.created_at,
                "Reply"
                if c.parent_id
                else f"Comment on {c.section.title if c.section else 'the assessment'}",
                c.author,
                c.text,
            )
            for c in comments
        ]
        + [
            entry
            for _receiver, entries in timeline_requested.send(
                sender=Assessment, assessment=assessment, user=user
            )
            for entry in entries or []
        ],
        key=lambda item: item[0],
    )
    next_version = assessment.live_next_version if assessment.is_frozen else None
    requested = [e for e in events if e.kind == AssessmentEvent.Kind.CHANGES_REQUESTED]
    return {
        "changes_requested": requested[-1]
        if requested and assessment.status == Assessment.Status.CHANGES_REQUESTED
        else None,
        "next_version": next_version,
        "screening_returned": next(
            (e for e in reversed(events) if e.kind == AssessmentEvent.Kind.SCREENING_RETURNED), None
        )
        if assessment.screening_status == Assessment.Screening.RETURNED
        else None,
        "open_comments": (
            open_comments := [c for c in comments if c.parent_id is None and not c.is_resolved]
        ),
        "commented_sections": {comment.section_id for comment in open_comments},
        "timeline": timeline,
        **flags_for(user, assessment),
    }


def _comments_and_events(
    assessment: Assessment, sections: list[Section] | None, workings: bool
) -> tuple[list[ReviewComment], list[AssessmentEvent]]:
    """The assessment's review comments (none unless ``workings``), each with its replies, and
    its events, as a reader with or without ``workings`` sees them."""
    comments = []
    if workings:
        read = with_names(review_comments(assessment), "author")
        comments = _with_sections(read, sections)
    for comment in comments:  # its replies are among those just read, as ``comment_replies()`` holds them
        comment.reply_list = [reply for reply in comments if reply.parent_id == comment.pk]
    events = list(with_names(AssessmentEvent.objects.filter(assessment=assessment), "actor"))
    if not workings:
        # A request for changes is the reviewer's word to the team: readers of the record see
        # when it happened, not what it said.
        for event in events:
            if event.kind == AssessmentEvent.Kind.CHANGES_REQUESTED:
                event.note = ""
    return comments, events


def _with_sections(comments: QuerySet[ReviewComment], sections: list[Section] | None) -> list[ReviewComment]:
    """The comments, each given its section from ``sections`` (read with them when not given)."""
    if sections is None:
        return list(comments.select_related("section"))
    by_id = {section.pk: section for section in sections}
    comments = list(comments)
    for comment in comments:
        if comment.section_id in by_id:
            comment.section = by_id[comment.section_id]
    return comments
