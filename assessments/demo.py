"""Demo assessments for a local run: a few realistic ones in progress, so a newcomer has
something to look at. Loaded by `manage.py load_demo` (DEBUG only)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments import lifecycle, services
from assessments.models import (
    Action,
    Answer,
    Assessment,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    SectionProgress,
)
from frameworks.models import Question
from frameworks.scales import (
    ActivityType,
    Decision,
    DutyContributionLevel,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
)
from places.london import LONDON_WIDE
from places.models import LocalAuthority

DEMO_ASSESSMENTS = [
    {
        "title": "Peer support for young Black men in Newham",
        "activity_type": ActivityType.PROGRAMME,
        "summary": "Community-led peer support groups, run with local barbershops and faith groups.",
        "partners": ["Newham Community Barbers", "Stratford Faith Forum"],
        "places": ["E09000025"],
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
        "places": [LONDON_WIDE],
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
        "places": ["E09000033", "E09000007", "E09000022"],
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


def _complete(assessment: Assessment, owner) -> Assessment:
    """Answer every section of a demo assessment so that it can be submitted."""
    today = timezone.localdate()
    version = assessment.framework_version
    answers = {
        "aims": "Londoners in the priority groups get earlier, culturally competent support.",
        "affected": "Residents of the most deprived wards, and the community groups who serve them.",
        "stage": "new",
        "levels": ["communities", "systems"],
        "rapid": False,
        "sources": "Borough JSNA, service data split by ethnicity and deprivation, four listening events.",
        "disaggregation": "partly",
        "gaps": "Data on LGBTQ+ young people is thin; a survey is planned.",
        "decision_power": "A community panel, paid for its time, chooses the funded projects.",
        "missing_voices": "Older Bangladeshi women; a partner will run sessions in Sylheti.",
        "cumulative": "Cost-of-living pressure falls on the same groups; money advice is built in.",
        "decision": Decision.ADJUST,
        "justification": "The activity goes ahead with the actions below to close the gaps found.",
        "measures": "Uptake and outcomes by ethnicity, age, disability and deprivation, each quarter.",
        "feedback": "Results go back to the community panel and are published in plain English.",
        "review_date": (today + timedelta(days=330)).isoformat(),
    }
    for question in Question.objects.filter(version=version):
        Answer.objects.update_or_create(
            assessment=assessment,
            question=question,
            defaults={"value": answers.get(question.key, "See the attached plan."), "updated_by": owner},
        )
    ImpactRating.objects.filter(assessment=assessment).update(
        impact=Impact.POSITIVE,
        evidence="Service data and listening events.",
        confidence=EvidenceConfidence.MEDIUM,
        data_gap=False,
        updated_by=owner,
    )
    race = ImpactRating.objects.get(assessment=assessment, characteristic__key="race")
    race.impact, race.mitigation = Impact.NEGATIVE, "Recruit staff from the communities served."
    race.save()
    combination = IntersectionalImpact.objects.create(
        assessment=assessment,
        description="Young Black disabled men",
        impact=Impact.NEGATIVE,
        evidence="Detention rates and listening events.",
        updated_by=owner,
    )
    combination.characteristics.set(version.characteristics.filter(key__in=["race", "disability"]))
    PrincipleAlignment.objects.filter(assessment=assessment).update(
        alignment=PrincipleAlignmentLevel.ESTABLISHED, narrative="Designed with the community panel."
    )
    DutyContribution.objects.filter(assessment=assessment).update(
        contribution=DutyContributionLevel.WILL, narrative="It targets groups with worse access and outcomes."
    )
    ParticipationEntry.objects.create(
        assessment=assessment,
        who="Community panel",
        how="Design workshops and grant decisions",
        when=today - timedelta(days=40),
        level=ParticipationLevel.CO_PRODUCED,
        paid=True,
        what_changed="Sessions moved to evenings and into faith settings.",
        updated_by=owner,
    )
    action = Action.objects.create(
        assessment=assessment,
        issue="Racialised communities are under-served.",
        action="Recruit peer workers from the communities served.",
        owner=owner,
        due_date=today + timedelta(days=90),
        measure="Workforce and uptake by ethnicity.",
        updated_by=owner,
    )
    action.characteristics.set(version.characteristics.filter(key="race"))
    action.intersectional_impacts.set([combination])
    for section in version.sections.all():
        SectionProgress.objects.update_or_create(
            assessment=assessment,
            section=section,
            defaults={"status": SectionProgress.Status.COMPLETED, "revision": 1, "updated_by": owner},
        )
    services.denormalised_fields_refresh(assessment=assessment)
    return assessment


LATER_STAGES = [
    (
        "Grants for grassroots mental-health groups, round 3",
        ActivityType.FUND_ROUND,
        "in_review",
        [LONDON_WIDE],
    ),
    (
        "Suicide prevention training for faith leaders",
        ActivityType.TRAINING,
        "changes_requested",
        ["E09000012", "E09000030"],
    ),
    ("Thrive LDN Wellbeing Festival", ActivityType.EVENT, "signed_off", ["E09000028", "E09000022"]),
    ("Digital inclusion pilot for older Londoners", ActivityType.PROJECT, "superseded", ["E09000008"]),
]


def _places(codes: list[str]) -> dict:
    """The keyword arguments of ``assessment_create`` that say where a demo activity takes place."""
    if LONDON_WIDE in codes:
        return {"london_wide": True}
    return {"local_authorities": LocalAuthority.objects.filter(gss_code__in=codes)}


def _later_stages(users: dict) -> None:
    owner, approver = users["staff"], users["approver"]
    # The demo's own approver owns none of these, so that they can sign them off.
    for title, activity_type, stage, places in LATER_STAGES:
        assessment = _complete(
            services.assessment_create(
                owner=owner,
                title=title,
                activity_type=activity_type,
                summary="A demo assessment at a later stage of its life.",
                **_places(places),
            ),
            owner,
        )
        services.assessment_submit(assessment=assessment, user=owner)
        if stage == "changes_requested":
            section = assessment.framework_version.sections.get(key="evidence")
            lifecycle.comment_add(
                assessment=assessment,
                user=approver,
                section=section,
                text="Which listening events informed this? Please name them.",
            )
            lifecycle.assessment_request_changes(
                assessment=assessment,
                user=approver,
                reason="Name the listening events in the evidence section.",
            )
        elif stage in ("signed_off", "superseded"):
            lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
        if stage == "superseded":
            new = lifecycle.assessment_reassess(assessment=assessment, user=owner)
            services.assessment_submit(assessment=new, user=owner)
            lifecycle.assessment_sign_off(assessment=new, user=approver, declaration=True)


@transaction.atomic
def load_demo_content(users: dict) -> None:
    if Assessment.objects.exists():
        return
    _later_stages(users)
    owner, collaborator = users["staff"], users["approver"]
    for spec in DEMO_ASSESSMENTS:
        assessment = services.assessment_create(
            owner=owner,
            title=spec["title"],
            activity_type=spec["activity_type"],
            summary=spec["summary"],
            collaborators=[collaborator] if spec["partners"] else [],
            new_partner_names=spec["partners"],
            **_places(spec["places"]),
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
