"""The portfolio dashboard: what it counts, how it names rows, who sees it, and its cost."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Action,
    Assessment,
    ParticipationEntry,
    PrincipleAlignment,
)
from frameworks.models import Characteristic, FrameworkVersion
from frameworks.scales import (
    ActivityType,
    Decision,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
)
from frameworks.services import framework_version_copy, framework_version_publish
from reporting import charts
from reporting.insight import NO_PARTICIPATION, Tally, latest_signed_off, portfolio_dashboard
from reporting.portfolio import portfolio_recount
from reporting.tests.factories import portfolio, rate, take_through_sign_off
from reporting.tests.reading import SVG

DASHBOARD = reverse("reporting:dashboard")


def dashboard_of(client, user, query: str = ""):
    """The figures of the dashboard page. Tests sign off what ``portfolio`` made as drafts by
    bulk updates, around the sign-off: the kept counts are made again first."""
    portfolio_recount()
    client.force_login(user)
    response = client.get(DASHBOARD + query)
    assert response.status_code == 200
    return response.context["figures"]


@pytest.mark.django_db
def test_impacts_are_counted_by_characteristic_and_impact(client, staff_user):
    negative = portfolio(staff_user, 2, status=Assessment.Status.DRAFT)
    rate(negative, "race", impact=Impact.SIGNIFICANT_NEGATIVE)
    Assessment.objects.filter(pk__in=negative).update(status=Assessment.Status.SIGNED_OFF)
    portfolio(staff_user, 3)
    impacts = dashboard_of(client, staff_user).impacts
    assert impacts.count("race", Impact.SIGNIFICANT_NEGATIVE) == 2
    assert impacts.count("race", Impact.NEUTRAL) == 3
    assert impacts.count("age", Impact.NEUTRAL) == 5
    assert impacts.columns[0] == (Impact.SIGNIFICANT_POSITIVE, "Significant positive")


@pytest.mark.django_db
def test_rows_put_protected_characteristics_before_additional_groups(client, staff_user):
    portfolio(staff_user, 1)
    version = FrameworkVersion.objects.current()
    kinds = dict(version.characteristics.values_list("key", "kind"))
    rows = [kinds[key] for key, _ in dashboard_of(client, staff_user).impacts.rows]
    assert rows == sorted(rows, key=lambda kind: kind != Characteristic.Kind.PROTECTED)
    assert rows[0] == Characteristic.Kind.PROTECTED and rows[-1] == Characteristic.Kind.ADDITIONAL


@pytest.mark.django_db
def test_only_the_latest_signed_off_version_is_counted(client, staff_user):
    portfolio(staff_user, 2)
    portfolio(staff_user, 1, status=Assessment.Status.SUPERSEDED)
    portfolio(staff_user, 1, status=Assessment.Status.DRAFT)
    portfolio(staff_user, 1, status=Assessment.Status.IN_REVIEW)
    portfolio(staff_user, 1, status=Assessment.Status.WITHDRAWN)
    figures = dashboard_of(client, staff_user)
    assert figures.assessment_count == 2
    assert figures.impacts.count("age", Impact.NEUTRAL) == 2
    assert figures.overdue_action_count == 2


@pytest.mark.django_db
def test_characteristics_are_counted_by_key_across_versions_and_named_as_in_the_current_one(
    client, staff_user
):
    portfolio(staff_user, 2)
    old = FrameworkVersion.objects.current()
    old.frozen_at = timezone.now()
    old.save(update_fields=["frozen_at"])
    new = framework_version_copy(version=old, label="2030/31")
    Characteristic.objects.filter(version=new, key="age").update(name="Age, at any age")
    Characteristic.objects.filter(version=new, key="nrpf").delete()
    framework_version_publish(version=new)
    portfolio(staff_user, 1)  # under the new version
    impacts = dashboard_of(client, staff_user).impacts
    labels = dict(impacts.rows)
    assert labels["age"] == "Age, at any age"
    assert impacts.count("age", Impact.NEUTRAL) == 3
    # A key the current version dropped keeps its last name, after the current version's rows.
    assert impacts.rows[-1] == ("nrpf", "No recourse to public funds")
    assert impacts.count("nrpf", Impact.NEUTRAL) == 2


@pytest.mark.django_db
def test_data_gaps_count_low_and_no_evidence_and_recorded_gaps(client, staff_user):
    pks = portfolio(staff_user, 3, status=Assessment.Status.DRAFT)
    rate(pks[:1], "disability", confidence=EvidenceConfidence.LOW)
    rate(pks[1:], "disability", confidence=EvidenceConfidence.NONE, data_gap=True)
    Assessment.objects.filter(pk__in=pks).update(status=Assessment.Status.SIGNED_OFF)
    gaps = dashboard_of(client, staff_user).data_gaps
    assert [gaps.count("disability", column) for column in ("low", "none", "gap")] == [1, 2, 2]
    assert gaps.count("age", "gap") == 0


@pytest.mark.django_db
def test_principles_participation_and_decisions_are_counted(client, staff_user):
    adjusted = portfolio(staff_user, 2, decision=Decision.ADJUST, status=Assessment.Status.DRAFT)
    PrincipleAlignment.objects.filter(assessment__in=adjusted[:1]).update(
        alignment=PrincipleAlignmentLevel.LEADING
    )
    ParticipationEntry.objects.bulk_create(
        [
            ParticipationEntry(assessment_id=pk, who="Young people", level=ParticipationLevel.CO_PRODUCED)
            for pk in adjusted
        ]
    )
    Assessment.objects.filter(pk__in=adjusted).update(status=Assessment.Status.SIGNED_OFF)
    portfolio(staff_user, 3)
    bare = portfolio(staff_user, 1, status=Assessment.Status.DRAFT)
    ParticipationEntry.objects.filter(assessment__in=bare).delete()
    Assessment.objects.filter(pk__in=bare).update(status=Assessment.Status.SIGNED_OFF)

    figures = dashboard_of(client, staff_user)
    principle = figures.principles.rows[0][0]
    assert figures.principles.count(principle, PrincipleAlignmentLevel.LEADING) == 1
    assert figures.principles.count(principle, PrincipleAlignmentLevel.EMERGING) == 5
    participation = figures.participation
    assert participation.count(ParticipationLevel.CO_PRODUCED, "highest") == 2
    assert participation.count(ParticipationLevel.CONSULTED, "highest") == 3
    assert participation.count(ParticipationLevel.CONSULTED, "entries") == 5
    assert participation.count(None, "highest") == 1
    assert participation.rows[-1] == (None, NO_PARTICIPATION)
    assert figures.decisions.count(Decision.ADJUST, "assessments") == 2
    assert figures.decisions.count(Decision.NO_MAJOR_CHANGE, "assessments") == 4


@pytest.mark.django_db
def test_overdue_actions_and_reviews_are_counted_and_listed(client, staff_user):
    today = timezone.localdate()
    pks = portfolio(staff_user, 2, review_date=today - timedelta(days=1), status=Assessment.Status.DRAFT)
    Action.objects.filter(assessment=pks[0]).update(status=Action.Status.DONE)
    Action.objects.bulk_create(
        [
            Action(assessment_id=pks[1], action="Due today", due_date=today),
            Action(
                assessment_id=pks[1], action="Dropped", due_date=today - timedelta(days=9), status="dropped"
            ),
            Action(
                assessment_id=pks[1],
                action="Started",
                due_date=today - timedelta(days=9),
                status="in_progress",
            ),
        ]
    )
    Assessment.objects.filter(pk__in=pks).update(status=Assessment.Status.SIGNED_OFF)
    portfolio(staff_user, 1)  # review in the future, one overdue action
    figures = dashboard_of(client, staff_user)
    assert figures.overdue_action_count == 3
    assert figures.with_overdue_actions_count == 2
    assert figures.overdue_review_count == 2
    first = figures.overdue_actions[0]
    second = Assessment.objects.get(pk=pks[1])
    assert first == {
        "reference": second.reference,
        "title": second.title,
        "overdue_actions": 2,
        "earliest_due": today - timedelta(days=9),
    }
    assert sorted(a.pk for a in figures.overdue_reviews) == sorted(pks)


@pytest.mark.django_db
def test_the_filters_of_the_board_portal_narrow_every_figure(client, staff_user):
    negative = portfolio(staff_user, 2, activity_type=ActivityType.CAMPAIGN, status=Assessment.Status.DRAFT)
    rate(negative[:1], "religion_belief", impact=Impact.NEGATIVE)
    Assessment.objects.filter(pk__in=negative).update(status=Assessment.Status.SIGNED_OFF)
    portfolio(staff_user, 3)
    campaigns = dashboard_of(client, staff_user, "?activity_type=campaign")
    assert campaigns.assessment_count == 2
    assert campaigns.impacts.count("age", Impact.NEUTRAL) == 2
    assert campaigns.overdue_action_count == 2
    rated_negative = dashboard_of(client, staff_user, "?negative_for=religion_belief")
    assert rated_negative.assessment_count == 1
    assert rated_negative.decisions.count(Decision.NO_MAJOR_CHANGE, "assessments") == 1
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert dashboard_of(client, staff_user, f"?signed_off_from={future}").assessment_count == 0


@pytest.mark.django_db
def test_an_empty_portfolio_shows_zeros_and_nothing_overdue(client, board_user):
    client.force_login(board_user)
    response = client.get(DASHBOARD)
    assert response.context["figures"].assessment_count == 0
    assert response.context["figures"].impacts.maximum == 0
    assert "Nothing is overdue." in response.text


@pytest.mark.django_db
def test_a_wrong_date_in_the_filters_is_shown_as_an_error(client, staff_user):
    portfolio(staff_user, 1)
    client.force_login(staff_user)
    response = client.get(DASHBOARD + "?signed_off_from=31-31-2026")
    assert response.status_code == 200
    assert "There is a problem with the filters" in response.text
    assert response.context["figures"].assessment_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role_user", ["staff_user", "approver_user", "board_user", "admin_user_with_role"])
def test_every_role_sees_the_dashboard(client, request, user_factory, role_user):
    portfolio(user_factory(username="owner"), 1)
    client.force_login(request.getfixturevalue(role_user))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["figures"].assessment_count == 1


@pytest.mark.django_db
def test_lists_name_only_assessments_the_user_may_read(client, staff_user, user_factory):
    portfolio(staff_user, 1, title="Counted and listed")
    outsider = user_factory(username="frank")
    client.force_login(outsider)
    assert client.get(DASHBOARD).status_code == 403
    figures = portfolio_dashboard(
        assessments=latest_signed_off(),
        readable=Assessment.objects.visible_to(outsider),
        today=timezone.localdate(),
    )
    assert figures.overdue_action_count == 1 and figures.overdue_review_count == 0
    assert figures.overdue_actions == []


@pytest.mark.django_db
def test_a_user_without_a_role_is_refused(client, user_factory):
    client.force_login(user_factory(username="eve"))
    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_dashboard_refuses_post(client, staff_user):
    client.force_login(staff_user)
    assert client.post(DASHBOARD).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("role_user", ["staff_user", "board_user", "admin_user_with_role"])
@pytest.mark.parametrize(
    "query", ["", "?activity_type=programme&negative_for=age"], ids=["whole", "filtered"]
)
def test_the_dashboard_takes_the_same_number_of_queries_for_3_and_60_assessments(
    client, request, staff_user, role_user, query, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(role_user))
    portfolio(staff_user, 3, impact=Impact.NEGATIVE)
    client.get(DASHBOARD)  # the first request of a session reads what later ones have cached
    with CaptureQueriesContext(connection) as small:
        assert client.get(DASHBOARD + query).context["figures"].assessment_count == 3
    portfolio(staff_user, 57, impact=Impact.NEGATIVE, review_date=timezone.localdate() - timedelta(days=1))
    with django_assert_num_queries(len(small)):
        response = client.get(DASHBOARD + query)
    assert response.context["figures"].assessment_count == 60
    # An Admin's request also reads the device that verified the session's second factor.
    second_factor_reads = 1 if role_user == "admin_user_with_role" else 0
    assert len(small) <= 15 + second_factor_reads


@pytest.mark.django_db
def test_markup_in_titles_and_names_is_shown_as_text(client, staff_user):
    Characteristic.objects.filter(version=FrameworkVersion.objects.current(), key="age").update(
        name="<b>Age</b> & <script>alert('age')</script>"
    )
    portfolio(staff_user, 1, title="<script>alert('title')</script>")
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    assert "<script>alert" not in response.text
    assert "<b>Age</b>" not in response.text
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in response.text
    assert "&lt;b&gt;Age&lt;/b&gt; &amp; &lt;script&gt;" in response.text


@pytest.mark.django_db
def test_each_chart_is_a_named_image_followed_by_a_table(client, staff_user):
    portfolio(staff_user, 2)
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    assert " style=" not in response.text  # the CSP refuses inline styles
    for slug in ("impacts", "data-gaps", "principles", "participation", "decisions"):
        named = f'id="chart-{slug}" role="img" aria-labelledby="chart-{slug}-title" '
        named += f'aria-describedby="about-{slug}"'
        assert named in response.text
        assert f'<p class="govuk-body" id="about-{slug}">' in response.text
        assert f'id="table-{slug}"' in response.text
    assert reverse("reporting:exports") in response.text


def _svg_numbers(svg: str, css_class: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    return [text.text for text in root.iter(f"{SVG}text") if text.get("class") == css_class]


def test_a_heatmap_shows_every_count_of_its_table_in_its_cells():
    tally = Tally(
        "demo",
        "Ratings & <things>",
        "Group",
        [("a", "A long name that needs two lines to fit beside the chart"), ("b", "B")],
        [("x", "Significant positive"), ("y", "Y")],
        {("a", "x"): 3, ("b", "y"): 12},
    )
    svg = charts.heatmap(tally, chart_id="chart-demo", described_by="about-demo")
    numbers = _svg_numbers(svg, "thrive-chart__count")
    assert numbers == [str(count) for _, counts in tally.table for count in counts] == ["3", "0", "0", "12"]
    assert "Ratings &amp; &lt;things&gt;" in svg


def test_a_bar_chart_shows_every_count_of_its_column():
    tally = Tally(
        "demo",
        "Decisions",
        "Decision",
        [("a", "Adjust"), ("b", "Stop")],
        [("n", "Assessments")],
        {("a", "n"): 4},
    )
    svg = charts.bar_chart(tally, column="n", chart_id="chart-demo", described_by="about-demo")
    assert _svg_numbers(svg, "thrive-chart__count") == ["4", "0"]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_heatmap_fill_keeps_its_number_readable():
    for fill, ink in charts.HEAT_STEPS:
        assert _contrast(fill, ink) >= 4.5, fill
    assert _contrast(charts.BAR_COLOUR, "#ffffff") >= 3


def test_heat_steps_grow_with_the_count():
    steps = [charts.heat_step(count, 10)[0] for count in range(11)]
    assert steps[0] == "#ffffff" and steps[1] != "#ffffff" and steps[10] == charts.HEAT_STEPS[-1][0]
    assert [charts.HEAT_STEPS.index(charts.heat_step(c, 10)) for c in range(11)] == sorted(
        charts.HEAT_STEPS.index(charts.heat_step(c, 10)) for c in range(11)
    )


@pytest.mark.django_db
def test_a_signed_off_assessment_counts_with_its_real_ratings(client, staff_user, approver_user):
    take_through_sign_off(staff_user, approver_user, overdue_action=True)
    figures = dashboard_of(client, approver_user)
    assert figures.assessment_count == 1
    assert figures.impacts.count("age", Impact.NEUTRAL) == 1
    assert figures.participation.count(ParticipationLevel.CO_PRODUCED, "highest") == 1
    assert figures.overdue_action_count == 1
