"""Assessments at each step of publication, made through the real services."""

from datetime import timedelta

from django.utils import timezone

from assessments import lifecycle
from assessments.models import ImpactRating
from assessments.services import assessment_submit
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.scales import Impact
from publication import services
from publication.models import Publication

SUMMARY = {
    "activity": "Peer support groups for young carers in Newham, meeting weekly in libraries.",
    "reach": "About 200 young carers aged 11 to 18 and their families.",
    "positive_findings": "Young carers from Bangladeshi families gain a place to talk in their own language.",
    "negative_findings": "Evening sessions may be hard for young carers who look after a parent at night.",
    "what_we_will_do": "Add weekend sessions and pay for travel.",
    "involvement": "Twelve young carers shaped the sessions in paid workshops.",
}
EASY_READ = [
    ("We run groups for young carers.", "people"),
    ("You can talk in your own language.", "talk"),
    ("We will add groups at the weekend.", "calendar"),
]
ACTION_TEXT = "Add Saturday sessions in two libraries."


def summarised(owner, *, title="Young carers peer support", summary=None, easy_read=EASY_READ, **fields):
    """A filled-in draft with a public summary and its Easy Read version, a positive impact on its
    first group, and one action owned by ``owner``."""
    assessment = fill_assessment(make_assessment(owner, title=title, **fields), user=owner)
    rating = ImpactRating.objects.filter(assessment=assessment).order_by("characteristic__order").first()
    ImpactRating.objects.filter(pk=rating.pk).update(impact=Impact.POSITIVE)
    add_action(
        assessment,
        issue="Evening sessions",
        action=ACTION_TEXT,
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=60),
    )
    services.summary_save(assessment=assessment, user=owner, values=summary or SUMMARY)
    if easy_read:
        services.easy_read_save(assessment=assessment, user=owner, points=easy_read)
    return assessment


def signed_off(assessment, *, owner, approver):
    assessment_submit(assessment=assessment, user=owner)
    lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
    assessment.refresh_from_db()
    return assessment


def published(owner, approver, *, decision=Publication.Decision.SUMMARY, **fields):
    assessment = signed_off(summarised(owner, **fields), owner=owner, approver=approver)
    services.publication_decide(assessment=assessment, user=approver, decision=decision)
    return assessment
