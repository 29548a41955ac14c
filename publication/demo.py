"""Demo content of the public register: the signed-off Wellbeing Festival published with an
Easy Read version and answered feedback, and the superseded pilot's decision not to publish.
Loaded by `manage.py load_demo` (DEBUG only), after the demo assessments."""

from assessments.models import Assessment
from publication import services
from publication.models import EasyReadPoint, Feedback, Publication, PublicSummary

FESTIVAL = {
    "activity": "A free one-day festival in a London park about looking after your mental health, "
    "with music, talks, stalls from local groups and quiet spaces.",
    "reach": "About 3,000 Londoners of all ages, especially young people and families from the boroughs "
    "around the park.",
    "positive_findings": "Young people and people from Black and minority ethnic communities told us the "
    "festival helped them find local support. Free entry helps people on low incomes.",
    "negative_findings": "Disabled people may find the park hard to get around, and the noise may be too "
    "much for some autistic people.",
    "what_we_will_do": "Step-free routes and a quiet tent, British Sign Language at the main talks, and a "
    "map that shows quiet times.",
    "involvement": "A community panel of twelve Londoners, paid for their time, chose the talks and "
    "tested the site.",
}
FESTIVAL_EASY_READ = [
    ("We are having a free festival in a park.", "people"),
    ("It is about looking after your mind.", "mind"),
    ("Some people may find the park hard to get around.", "disability"),
    ("We will make flat paths and a quiet tent.", "fix"),
    ("Londoners helped us plan it.", "together"),
]


def load_demo_content(users: dict) -> None:
    if Publication.objects.exists():
        return
    approver = users["approver"]
    festival = Assessment.objects.filter(
        title="Thrive LDN Wellbeing Festival", status=Assessment.Status.SIGNED_OFF
    ).first()
    if festival is not None:
        summary = PublicSummary.objects.create(assessment=festival, updated_by=users["staff"], **FESTIVAL)
        EasyReadPoint.objects.bulk_create(
            EasyReadPoint(summary=summary, position=n, text=text, pictogram=picture)
            for n, (text, picture) in enumerate(FESTIVAL_EASY_READ, start=1)
        )
        services.publication_decide(
            assessment=festival, user=approver, decision=Publication.Decision.SUMMARY_AND_PDF
        )
        feedback = services.feedback_add(
            assessment=festival, text="Please have somewhere to sit down near the stage.", name="Sam"
        )
        services.feedback_moderate(
            feedback=feedback,
            user=approver,
            status=Feedback.Status.APPROVED,
            answer="We added benches and chairs beside the stage and in the quiet tent.",
        )
        services.feedback_add(assessment=festival, text="Will there be food for people who eat halal?")
    pilot = Assessment.objects.filter(
        title="Digital inclusion pilot for older Londoners", status=Assessment.Status.SUPERSEDED
    ).first()
    if pilot is not None:
        services.publication_decide(
            assessment=pilot,
            user=approver,
            decision=Publication.Decision.NOT_PUBLISHED,
            reason="The pilot had eight participants: a summary could identify them.",
        )
