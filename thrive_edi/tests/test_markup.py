"""Pages hold well-formed forms: one form per action, never a form inside another."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse


class FormNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.deepest = 0
        self.csrf_per_form: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            self.csrf_per_form.append(0)
        elif tag == "input" and ("name", "csrfmiddlewaretoken") in attrs and self.csrf_per_form:
            self.csrf_per_form[-1] += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def nesting(html: str) -> FormNesting:
    parser = FormNesting()
    parser.feed(html)
    return parser


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sign-in/", "/password-reset/", "/verify/"])
def test_open_pages_have_no_form_inside_another(client, path):
    parsed = nesting(client.get(path).content.decode())
    assert parsed.deepest == 1
    assert all(count == 1 for count in parsed.csrf_per_form)


@pytest.mark.django_db
def test_signed_in_form_pages_have_no_form_inside_another(client, staff_user):
    client.force_login(staff_user)
    for path in (reverse("assessments:create"), reverse("assessments:list")):
        parsed = nesting(client.get(path).content.decode())
        assert parsed.deepest == 1, path
        assert all(count <= 1 for count in parsed.csrf_per_form), path
