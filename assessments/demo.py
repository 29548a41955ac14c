"""Demo assessments for a local run: a few realistic ones in progress, so a newcomer has
something to look at. Loaded by `manage.py load_demo` (DEBUG only)."""

from django.db import transaction

from assessments import services
from assessments.models import Answer, Assessment, ImpactRating, SectionProgress
from frameworks.models import Question
from frameworks.scales import ActivityType, EvidenceConfidence, Impact

DEMO_ASSESSMENTS = [
    {
        "title": "Peer support for young Black men in Newham",
        "activity_type": ActivityType.PROGRAMME,
        "summary": "Community-led peer support groups, run with local barbershops and faith groups.",
        "partners": ["Newham Community Barbers", "Stratford Faith Forum"],
        "answers": {
            "aims": "More young Black men get early support before crisis, in places they already trust.",
            "affected": "Young Black men aged 16 to 25 in Newham, their families, and local peer supporters.",
            "stage": "new",
            "levels": ["individuals", "communities"],
            "rapid": False,
            "sources": (
                "Newham JSNA 2023, Mental Health Act detention rates by ethnicity, three listening events."
            ),
        },
        "ratings": {
            "race": (
                Impact.SIGNIFICANT_POSITIVE,
                "Designed with and for young Black men.",
                EvidenceConfidence.HIGH,
            ),
            "age": (Impact.POSITIVE, "Aimed at 16 to 25 year olds.", EvidenceConfidence.MEDIUM),
            "sexual_orientation": (
                Impact.UNKNOWN,
                "No data on gay and bisexual young men yet.",
                EvidenceConfidence.NONE,
            ),
        },
    },
    {
        "title": "Cost-of-living and mental health campaign",
        "activity_type": ActivityType.CAMPAIGN,
        "summary": "A London-wide campaign signposting money and mental-health help together.",
        "partners": ["Citizens Advice London"],
        "answers": {
            "aims": "Londoners under financial strain know where to get money advice and emotional support.",
            "stage": "changed",
        },
        "ratings": {},
    },
    {
        "title": "Winter crisis response for people sleeping rough",
        "activity_type": ActivityType.CRISIS_RESPONSE,
        "summary": "Rapid mental-health outreach alongside severe-weather shelters.",
        "partners": [],
        "answers": {"rapid": True},
        "ratings": {
            "homelessness": (
                Impact.SIGNIFICANT_POSITIVE,
                "Outreach goes to shelters.",
                EvidenceConfidence.MEDIUM,
            ),
        },
    },
]


@transaction.atomic
def load_demo_content(users: dict) -> None:
    if Assessment.objects.exists():
        return
    owner, collaborator = users["staff"], users["approver"]
    for spec in DEMO_ASSESSMENTS:
        assessment = services.assessment_create(
            owner=owner,
            title=spec["title"],
            activity_type=spec["activity_type"],
            summary=spec["summary"],
            collaborators=[collaborator] if spec["partners"] else [],
            new_partner_names=spec["partners"],
        )
        questions = {q.key: q for q in Question.objects.filter(version=assessment.framework_version)}
        sections = set()
        for key, value in spec["answers"].items():
            Answer.objects.create(
                assessment=assessment, question=questions[key], value=value, updated_by=owner
            )
            sections.add(questions[key].section_id)
        ratings = ImpactRating.objects.filter(assessment=assessment).select_related("characteristic")
        for rating in ratings:
            if rating.characteristic.key in spec["ratings"]:
                rating.impact, rating.evidence, rating.confidence = spec["ratings"][rating.characteristic.key]
                rating.data_gap = rating.confidence == EvidenceConfidence.NONE
                rating.updated_by = owner
                rating.save()
                sections.add(assessment.framework_version.sections.get(structured="impact_grid").pk)
        SectionProgress.objects.bulk_create(
            SectionProgress(assessment=assessment, section_id=section_id, revision=1, updated_by=owner)
            for section_id in sections
        )
