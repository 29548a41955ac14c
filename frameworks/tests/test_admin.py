import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from frameworks.admin import COPY_ACTION_LABEL, FROZEN_NOTICE, PUBLISH_ONE_MESSAGE
from frameworks.forms import DUPLICATE_QUESTION_KEY
from frameworks.models import FrameworkVersion, Principle, Question, ScaleOption
from frameworks.scales import SCALE_KEYS
from frameworks.services import framework_export, framework_version_copy
from frameworks.tests.helpers import admin_change_post_data, frameworks_snapshot
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db


def _url(name: str, *args) -> str:
    return reverse(f"admin:frameworks_{name}", args=args)


@pytest.fixture
def admin_client(client, admin_user_with_role):
    client.force_login(admin_user_with_role)
    return client


# Who may enter.


@pytest.fixture(params=["staff", "approver", "board", "is_staff without the Admin role"])
def non_admin(request, user_factory):
    roles = {"staff": Role.STAFF, "approver": Role.APPROVER, "board": Role.BOARD}
    if request.param in roles:
        return user_factory(username=f"no-admin-{request.param}", role=roles[request.param])
    return user_factory(username="django-staff", is_staff=True)


def test_non_admin_users_get_no_admin_access(client, non_admin, current_version, draft_version):
    client.force_login(non_admin)
    before = frameworks_snapshot()
    pages = [
        reverse("admin:index"),
        _url("frameworkversion_changelist"),
        _url("frameworkversion_change", draft_version.pk),
        _url("frameworkversion_preview", draft_version.pk),
        _url("principle_changelist"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page
    response = client.post(_url("frameworkversion_change", draft_version.pk), {"name": "Taken over"})
    assert response.status_code == 302
    response = client.post(_url("frameworkversion_publish", draft_version.pk))
    assert response.status_code == 302
    assert frameworks_snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, current_version):
    response = client.get(_url("frameworkversion_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The version list.


def test_admins_see_versions_with_status_flags_and_counts(admin_client, frozen_version, draft_version):
    response = admin_client.get(_url("frameworkversion_changelist"))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["cl"].result_list}
    assert set(rows) == {"2022/23", "2024/25"}
    assert (rows["2022/23"].principle_count, rows["2022/23"].protected_count) == (8, 9)
    assert (rows["2022/23"].additional_count, rows["2022/23"].section_count) == (15, 10)
    assert rows["2022/23"].question_count == 16
    content = response.content.decode()
    assert "9 + 15" in content
    assert COPY_ACTION_LABEL in content


def test_the_version_list_takes_the_same_number_of_queries_for_more_versions(admin_client, current_version):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(_url("frameworkversion_changelist")).status_code == 200
        return len(captured)

    queries()  # the first request also fills per-process caches (content types)
    one = queries()
    framework_version_copy(version=current_version)
    framework_version_copy(version=current_version)
    assert queries() == one


def test_versions_can_be_searched_and_filtered(admin_client, frozen_version, draft_version):
    def labels(query: str) -> set[str]:
        response = admin_client.get(_url("frameworkversion_changelist") + query)
        return {version.label for version in response.context["cl"].result_list}

    assert labels("?q=2024") == {"2024/25"}
    assert labels("?status__exact=draft") == {"2024/25"}
    assert labels("?frozen=yes") == {"2022/23"}
    assert labels("?frozen=no") == {"2024/25"}


def test_content_pages_list_search_and_filter_by_version(admin_client, current_version, draft_version):
    response = admin_client.get(
        _url("principle_changelist") + f"?version__id__exact={draft_version.pk}&q=power"
    )
    assert [principle.key for principle in response.context["cl"].result_list] == ["sharing_power"]
    response = admin_client.get(_url("question_changelist") + "?type__exact=date")
    assert {question.key for question in response.context["cl"].result_list} == {"review_date"}
    for name in ("characteristic", "section", "scaleoption"):
        assert admin_client.get(_url(f"{name}_changelist")).status_code == 200


# Frozen versions are read-only in admin.


def test_a_frozen_versions_page_is_read_only_and_offers_a_new_draft(admin_client, frozen_version):
    response = admin_client.get(_url("frameworkversion_change", frozen_version.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert escape(FROZEN_NOTICE) in content
    assert 'name="_save"' not in content
    assert COPY_ACTION_LABEL in content
    assert all(not inline.has_change_permission for inline in response.context["inline_admin_formsets"])


def test_posting_changes_to_a_frozen_version_is_refused(admin_client, frozen_version, draft_version):
    editable = admin_client.get(_url("frameworkversion_change", draft_version.pk))
    data = admin_change_post_data(editable)
    data["name"] = "Rewritten"
    before = frameworks_snapshot()
    response = admin_client.post(_url("frameworkversion_change", frozen_version.pk), data)
    assert response.status_code == 403
    assert frameworks_snapshot() == before


def test_deleting_a_frozen_version_in_admin_is_refused(admin_client, frozen_version, draft_version):
    FrameworkVersion.objects.filter(pk=frozen_version.pk).update(status=FrameworkVersion.Status.RETIRED)
    before = frameworks_snapshot()
    assert admin_client.get(_url("frameworkversion_delete", frozen_version.pk)).status_code == 403
    assert (
        admin_client.post(_url("frameworkversion_delete", frozen_version.pk), {"post": "yes"}).status_code
        == 403
    )
    response = admin_client.post(
        _url("frameworkversion_changelist"),
        {"action": "delete_selected", "_selected_action": [frozen_version.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert frameworks_snapshot() == before


def test_changing_or_deleting_a_frozen_versions_content_in_admin_is_refused(admin_client, frozen_version):
    principle = frozen_version.principles.get(key="equity")
    question = frozen_version.questions.get(key="aims")
    option = ScaleOption.objects.get(version=frozen_version, scale="impact", key="negative")
    before = frameworks_snapshot()
    assert admin_client.get(_url("principle_change", principle.pk)).status_code == 200  # readable
    for name, item, data in [
        ("principle", principle, {"name": "Fairness", "summary": "New.", "pillar": principle.pillar_id}),
        ("question", question, {"text": "New text?", "type": "long_text"}),
        ("scaleoption", option, {"label": "Bad"}),
        ("section", question.section, {"title": "New title"}),
        ("characteristic", frozen_version.characteristics.first(), {"name": "New name"}),
    ]:
        assert admin_client.post(_url(f"{name}_change", item.pk), data).status_code == 403, name
        assert admin_client.post(_url(f"{name}_delete", item.pk), {"post": "yes"}).status_code == 403, name
    response = admin_client.post(
        _url("principle_changelist"),
        {"action": "delete_selected", "_selected_action": [principle.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert frameworks_snapshot() == before


def test_the_current_version_cannot_be_deleted_in_admin(admin_client, current_version):
    assert admin_client.get(_url("frameworkversion_delete", current_version.pk)).status_code == 403
    assert FrameworkVersion.objects.filter(pk=current_version.pk).exists()


# Drafts are edited, copied, previewed and published.


def test_an_unchanged_draft_page_posts_back_cleanly_and_saves_an_edit(admin_client, draft_version):
    data = admin_change_post_data(admin_client.get(_url("frameworkversion_change", draft_version.pk)))
    data["name"] = "Thrive LDN EDI Framework (revised)"
    data["principles-0-guiding_questions"] = "Who benefits least today?\nWhat changes that?"
    response = admin_client.post(_url("frameworkversion_change", draft_version.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft_version.refresh_from_db()
    assert draft_version.name == "Thrive LDN EDI Framework (revised)"
    first = draft_version.principles.order_by("order").first()
    assert first.guiding_questions == ["Who benefits least today?", "What changes that?"]
    assert draft_version.principles.count() == 8


def test_a_draft_principle_is_edited_on_its_own_page(admin_client, draft_version):
    principle = draft_version.principles.get(key="equity")
    systems = draft_version.levels.get(key="systems")
    data = {
        "key": "equity",
        "name": "Equity first",
        "pillar": principle.pillar_id,
        "levels": [systems.pk],
        "summary": "Resources follow need.",
        "guiding_questions": "Who benefits least?\n\nWhat would change that?\n",
        "order": 5,
    }
    response = admin_client.post(_url("principle_change", principle.pk), data)
    assert response.status_code == 302
    principle.refresh_from_db()
    assert principle.name == "Equity first"
    assert principle.guiding_questions == ["Who benefits least?", "What would change that?"]
    assert list(principle.levels.all()) == [systems]


def test_a_principle_cannot_take_levels_of_another_version(admin_client, current_version, draft_version):
    principle = draft_version.principles.get(key="equity")
    foreign = current_version.levels.get(key="systems")
    data = {"key": "equity", "name": "Equity", "pillar": principle.pillar_id, "levels": [foreign.pk]}
    data |= {"summary": "S.", "order": 1}
    before = frameworks_snapshot()
    response = admin_client.post(_url("principle_change", principle.pk), data)
    assert response.status_code == 200  # the form again, with an error
    assert "levels" in response.context["adminform"].form.errors
    assert frameworks_snapshot() == before


def test_a_question_key_must_be_unique_within_its_version(admin_client, draft_version):
    section = draft_version.sections.get(key="monitoring")
    data = {"section": section.pk, "key": "aims", "text": "Again?", "type": "long_text", "order": 99}
    response = admin_client.post(_url("question_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["key"] == [DUPLICATE_QUESTION_KEY.format(key="aims")]
    data["key"] = "lessons"
    assert admin_client.post(_url("question_add"), data).status_code == 302
    assert Question.objects.get(version=draft_version, key="lessons").section == section


def test_the_copy_button_makes_a_new_draft_from_a_frozen_version(admin_client, frozen_version):
    page = admin_client.get(_url("frameworkversion_copy", frozen_version.pk))
    assert page.status_code == 200
    response = admin_client.post(_url("frameworkversion_copy", frozen_version.pk))
    copy = FrameworkVersion.objects.get(label="2022/23 (copy)")
    assert response.status_code == 302
    assert response["Location"] == _url("frameworkversion_change", copy.pk)
    assert copy.is_draft and not copy.is_frozen and copy.principles.count() == 8


def test_the_copy_action_copies_each_selected_version(admin_client, frozen_version, draft_version):
    response = admin_client.post(
        _url("frameworkversion_changelist"),
        {"action": "copy_versions", "_selected_action": [frozen_version.pk, draft_version.pk]},
    )
    assert response.status_code == 302
    assert set(FrameworkVersion.objects.values_list("label", flat=True)) == {
        "2022/23",
        "2024/25",
        "2022/23 (copy)",
        "2024/25 (copy)",
    }


def test_publishing_a_draft_in_admin_makes_it_current(admin_client, current_version, draft_version):
    assert admin_client.get(_url("frameworkversion_publish", draft_version.pk)).status_code == 200
    response = admin_client.post(_url("frameworkversion_publish", draft_version.pk))
    assert response.status_code == 302
    assert FrameworkVersion.objects.current() == draft_version
    assert FrameworkVersion.objects.get(pk=current_version.pk).status == FrameworkVersion.Status.RETIRED


def test_the_publish_action_needs_exactly_one_draft(admin_client, current_version, draft_version):
    other = framework_version_copy(version=current_version)
    response = admin_client.post(
        _url("frameworkversion_changelist"),
        {"action": "publish_version", "_selected_action": [draft_version.pk, other.pk]},
        follow=True,
    )
    assert PUBLISH_ONE_MESSAGE in response.content.decode()
    assert FrameworkVersion.objects.current() == current_version
    response = admin_client.post(
        _url("frameworkversion_changelist"),
        {"action": "publish_version", "_selected_action": [current_version.pk]},
        follow=True,
    )
    assert "Only a draft version can be published" in response.content.decode()


def test_an_incomplete_draft_is_not_published_and_admin_says_why(
    admin_client, current_version, draft_version
):
    Principle.objects.filter(version=draft_version, key="equity").update(summary="")
    response = admin_client.post(_url("frameworkversion_publish", draft_version.pk), follow=True)
    assert escape("rinciples[0]: missing required field 'summary'") in response.content.decode()
    assert FrameworkVersion.objects.current() == current_version


def test_the_preview_shows_a_draft_as_staff_will_see_it(admin_client, draft_version):
    Principle.objects.filter(version=draft_version, key="equity").update(name="Equity, previewed")
    response = admin_client.get(_url("frameworkversion_preview", draft_version.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Equity, previewed" in content
    assert 'id="principle-equity"' in content
    assert "Preview: this is how staff will see version 2024/25 (draft)" in content
    assert admin_client.get(_url("frameworkversion_preview", 99999)).status_code == 404


def test_a_version_added_in_admin_starts_with_every_fixed_scale_key(admin_client, current_version):
    data = {"name": "Blank framework", "label": "2027/28", "aligned_with": "", "summary": ""}
    response = admin_client.post(_url("frameworkversion_add"), data)
    assert response.status_code == 302
    version = FrameworkVersion.objects.get(label="2027/28")
    assert version.is_draft
    for scale, choices in SCALE_KEYS.items():
        assert list(version.labels(scale)) == list(choices.values)


# Framework files through admin, for admins without a shell.


def test_a_version_downloads_as_its_framework_file(admin_client, current_version):
    response = admin_client.get(_url("frameworkversion_export", current_version.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="thrive-edi-2022-23.yaml"'
    assert response.content.decode() == framework_export(version=current_version)


def test_an_uploaded_framework_file_becomes_a_draft_version(admin_client, current_version):
    text = framework_export(version=current_version)
    upload = SimpleUploadedFile("next-year.yaml", text.encode(), content_type="application/yaml")
    response = admin_client.post(_url("frameworkversion_import"), {"file": upload, "label": "2026/27"})
    version = FrameworkVersion.objects.get(label="2026/27")
    assert response.status_code == 302
    assert response["Location"] == _url("frameworkversion_change", version.pk)
    assert version.is_draft and version.principles.count() == 8


def test_an_uploaded_bad_file_loads_nothing_and_the_page_lists_its_problems(admin_client, current_version):
    text = framework_export(version=current_version).replace("pillar: enabler", "pillar: enablers", 1)
    upload = SimpleUploadedFile("bad.yaml", text.encode(), content_type="application/yaml")
    before = frameworks_snapshot()
    response = admin_client.post(_url("frameworkversion_import"), {"file": upload, "label": "2026/27"})
    assert response.status_code == 200
    assert response.context["problems"] == [
        "bad.yaml: principles[0].pillar: unknown pillar 'enablers' (known pillars: enabler, direct_action)"
    ]
    assert frameworks_snapshot() == before


def test_only_admins_may_import_or_export_framework_files(client, staff_user, current_version):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("f.yaml", framework_export(version=current_version).encode())
    before = frameworks_snapshot()
    response = client.post(_url("frameworkversion_import"), {"file": upload, "label": "2026/27"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(_url("frameworkversion_export", current_version.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert frameworks_snapshot() == before
