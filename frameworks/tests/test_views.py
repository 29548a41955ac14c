from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.models import Characteristic, FrameworkVersion, Principle
from frameworks.selectors import framework_guide
from frameworks.services import framework_version_publish
from frameworks.views import NO_CURRENT_VERSION
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))


def assert_one_h1_and_headings_in_order(html: str) -> None:
    parser = _Headings()
    parser.feed(html)
    levels = parser.levels
    assert levels.count(1) == 1, levels
    start = levels.index(1)
    for previous, level in zip(levels[start:], levels[start + 1 :], strict=False):
        assert level <= previous + 1, f"h{previous} is followed by h{level}: {levels}"


@pytest.fixture
def signed_in(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_guide_of_the_current_version(client, user_factory, current_version, role):
    client.force_login(user_factory(username=f"reader-{role.value}", role=role))
    response = client.get(reverse("frameworks:guide"))
    assert response.status_code == 200
    guide = response.context["guide"]
    assert guide.version == current_version
    assert [pillar.key for pillar in guide.pillars] == ["enabler", "direct_action"]
    assert [len(pillar.principles_in_order) for pillar in guide.pillars] == [3, 5]
    assert (len(guide.protected), len(guide.additional), len(guide.sections)) == (9, 15, 10)
    content = response.content.decode()
    for text in (
        "Thrive LDN EDI Framework",
        "Equality and anti-racism",
        "Who decides, and who holds the budget?",
        "Refugees, asylum seekers and vulnerable migrants",
        "Trans people: privacy of records, harassment, safe services.",
        "Monitoring and review",
        "Disaggregated data and direct input from the group",
    ):
        assert text in content


def test_the_guide_has_stable_anchors_for_the_wizard_to_link_to(signed_in, current_version):
    content = signed_in.get(reverse("frameworks:guide")).content.decode()
    for principle in current_version.principles.all():
        assert f'id="principle-{principle.key}"' in content
        assert f'href="/framework/principles/{principle.key}/"' in content
    for characteristic in current_version.characteristics.all():
        assert f'id="characteristic-{characteristic.key}"' in content
    for section in current_version.sections.all():
        assert f'id="section-{section.key}"' in content


def test_the_guide_pages_have_one_h1_and_headings_in_order(signed_in, current_version):
    pages = [
        reverse("frameworks:guide"),
        reverse("frameworks:principle", args=["equity"]),
        reverse("frameworks:characteristic", args=["nrpf"]),
        reverse("frameworks:version_guide", args=[current_version.pk]),
    ]
    for page in pages:
        response = signed_in.get(page)
        assert response.status_code == 200, page
        assert_one_h1_and_headings_in_order(response.content.decode())


def test_the_guides_content_is_read_in_a_fixed_number_of_queries(current_version, django_assert_num_queries):
    version = FrameworkVersion.objects.get(pk=current_version.pk)
    # levels, pillars, principles, their levels, characteristics, sections, questions, scales
    with django_assert_num_queries(8):
        guide = framework_guide(version=version, link_to="current")
        _render_everything(guide)


def test_the_guide_page_takes_as_many_queries_however_much_the_framework_holds(signed_in, current_version):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("frameworks:guide")).status_code == 200
        return len(captured)

    queries()  # the first request also fills per-process caches
    before = queries()
    pillar = current_version.pillars.first()
    for number in range(5):
        principle = Principle.objects.create(
            version=current_version,
            key=f"extra_{number}",
            name=f"Extra {number}",
            pillar=pillar,
            summary="S.",
        )
        principle.levels.set(current_version.levels.all())
        Characteristic.objects.create(
            version=current_version, key=f"group_{number}", name="G", kind="additional"
        )
    assert queries() == before
    assert "Extra 4" in signed_in.get(reverse("frameworks:guide")).content.decode()


def _render_everything(guide) -> None:
    for pillar in guide.pillars:
        for principle in pillar.principles_in_order:
            list(principle.levels.all())
    for section in guide.sections:
        list(section.questions.all())


def test_anonymous_visitors_are_sent_to_sign_in(client, current_version):
    for page in (reverse("frameworks:guide"), reverse("frameworks:principle", args=["equity"])):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_guide_pages_only_answer_reads(signed_in, current_version):
    assert signed_in.post(reverse("frameworks:guide")).status_code == 405
    assert signed_in.post(reverse("frameworks:principle", args=["equity"])).status_code == 405


def test_a_principle_page_shows_its_pillar_levels_and_guiding_questions(signed_in, current_version):
    response = signed_in.get(reverse("frameworks:principle", args=["participation"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Participation and co-production" in content
    assert "Enablers" in content
    assert "Individuals, Communities" in content
    assert "Were contributors paid, and were they told what happened to their input?" in content
    assert 'href="/framework/#principle-participation"' in content


def test_a_characteristic_page_shows_its_group_and_guidance(signed_in, current_version):
    response = signed_in.get(reverse("frameworks:characteristic", args=["disability"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Protected characteristic (Equality Act 2010)" in content
    assert "reasonable adjustments" in content
    response = signed_in.get(reverse("frameworks:characteristic", args=["carers"]))
    assert "Additional group" in response.content.decode()


def test_an_unknown_key_is_not_found(signed_in, current_version):
    assert signed_in.get(reverse("frameworks:principle", args=["no_such_principle"])).status_code == 404
    assert signed_in.get(reverse("frameworks:characteristic", args=["no_such_group"])).status_code == 404


def test_links_from_an_assessment_reach_the_version_it_was_made_against(
    signed_in, current_version, draft_version
):
    framework_version_publish(version=draft_version)
    Principle.objects.filter(version=draft_version, key="equity").update(name="Equity in 2024/25")
    old = current_version.principles.get(key="equity")
    response = signed_in.get(old.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Equity</h1>' in content
    assert "This is an earlier version of the framework (2022/23)" in content
    characteristic = current_version.characteristics.get(key="age")
    assert signed_in.get(characteristic.get_absolute_url()).status_code == 200
    assert signed_in.get(current_version.get_absolute_url()).status_code == 200
    current = signed_in.get(reverse("frameworks:principle", args=["equity"]))
    assert "Equity in 2024/25" in current.content.decode()


def test_draft_versions_are_not_shown_in_the_guide(client, admin_user_with_role, draft_version):
    client.force_login(admin_user_with_role)
    assert client.get(reverse("frameworks:version_guide", args=[draft_version.pk])).status_code == 404
    principle = draft_version.principles.get(key="equity")
    assert client.get(principle.get_absolute_url()).status_code == 404


def test_the_guide_says_so_when_no_version_is_published(signed_in, current_version):
    FrameworkVersion.objects.update(status=FrameworkVersion.Status.RETIRED)
    response = signed_in.get(reverse("frameworks:guide"))
    assert response.status_code == 200
    assert NO_CURRENT_VERSION in response.content.decode()
    assert signed_in.get(reverse("frameworks:principle", args=["equity"])).status_code == 404
