from assessments import services
from assessments.models import Assessment
from frameworks.scales import ActivityType


def make_assessment(owner, *, title="Peer support in Newham", collaborators=(), **fields) -> Assessment:
    assessment = services.assessment_create(
        owner=owner,
        title=title,
        activity_type=fields.pop("activity_type", ActivityType.PROGRAMME),
        summary=fields.pop("summary", "Peer support groups for young Black men."),
        collaborators=collaborators,
    )
    if fields:
        Assessment.objects.filter(pk=assessment.pk).update(**fields)
        assessment.refresh_from_db()
    return assessment
