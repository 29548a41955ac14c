"""Lists of comments and events name people: they read each person's name and nothing else."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentEvent, ReviewComment
from assessments.tests.factories import make_assessment
from thrive_edi.people import person_name, with_names
from thrive_edi.tests.factories import UserFactory


def test_events_read_their_actors_names_and_every_field_of_their_own_in_one_query(staff_user):
    approver = UserFactory(username="ngozi", first_name="Ngozi", last_name="Adébáyọ̀")
    assessment = make_assessment(staff_user)
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.CHANGES_REQUESTED, actor=approver, note="Say more"
    )
    events = with_names(AssessmentEvent.objects.filter(assessment=assessment).order_by("pk"), "actor")

    assert '"password"' not in str(events.query) and '"email"' not in str(events.query)
    with CaptureQueriesContext(connection) as queries:
        read = list(events)
        names = [person_name(event.actor) for event in read]
        own = [
            [getattr(event, field.attname) for field in AssessmentEvent._meta.concrete_fields]
            for event in read
        ]
    assert len(queries) == 1
    assert names[-1] == "Ngozi Adébáyọ̀"
    assert read[-1].note == "Say more" and all(value is not None for value in own[-1][:4])
    assert read[-1].get_deferred_fields() == set()  # the event's own fields, every one read
    assert {"password", "email"} <= read[-1].actor.get_deferred_fields()


def test_a_person_without_a_name_is_named_by_their_username(staff_user):
    nameless = UserFactory(username="reviewer-7", first_name="", last_name="")
    assessment = make_assessment(staff_user)
    ReviewComment.objects.create(assessment=assessment, author=nameless, text="Where is the evidence?")

    with CaptureQueriesContext(connection) as queries:
        (comment,) = with_names(ReviewComment.objects.filter(assessment=assessment), "author")
        name = person_name(comment.author)

    assert (name, len(queries)) == ("reviewer-7", 1)
