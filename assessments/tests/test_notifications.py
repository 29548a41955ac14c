"""Emails are plain text: what people typed arrives as they typed it, in subjects and bodies."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from assessments import services
from assessments.tests.factories import fill_assessment, make_assessment

HOSTILE = "Tea & <b>biscuits</b> for O'Neil's \"group\""
EMAILS = sorted(path.name for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*.txt"))


class Anything:
    """Whatever a template asks of it, the hostile text (a date for a date)."""

    def __getattr__(self, name):
        return date(2027, 3, 27) if name.endswith("date") else self

    def __getitem__(self, key):
        return self.__getattr__(str(key))

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter([self])

    def __str__(self):
        return HOSTILE


@pytest.mark.parametrize("template", EMAILS)
def test_every_email_template_writes_values_unescaped(template):
    text = render_to_string(
        f"emails/{template}",
        {
            name: Anything()
            for name in (
                "assessment",
                "action",
                "actor",
                "snapshot",
                "link",
                "reason",
                "person",
                "user",
                "error",
                "new_role",
                "old_roles",
                "feedback",
                "author",
                "responder",
                "reviewer",
            )
        },
    )
    if "{{" in (Path(settings.BASE_DIR) / "templates" / "emails" / template).read_text():
        assert HOSTILE in text
    assert "&amp;" not in text and "&lt;" not in text and "&#x27;" not in text and "&quot;" not in text


@pytest.mark.django_db
def test_the_submission_email_subject_carries_the_title_as_typed(
    staff_user, approver_user, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = fill_assessment(
        make_assessment(staff_user, title="Tea & talk: O'Neil's <drop-in>"), user=staff_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=staff_user)
    [email] = mailoutbox
    assert email.subject == f"Please review {assessment.reference}: Tea & talk: O'Neil's <drop-in>"
    assert "Tea & talk: O'Neil's <drop-in>" in email.body
