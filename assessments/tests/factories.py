import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    Assessment,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    Screening,
    SectionProgress,
    SubgroupRating,
)
from assessments.sections import SectionEditor
from assessments.selectors import assessment_content, version_characteristics
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

# The sections of the default framework's template, in their order on the task list.
SECTION_KEYS = [
    "about",
    "evidence",
    "participation",
    "impacts",
    "intersectional",
    "principles",
    "duties",
    "actions",
    "outcome",
    "monitoring",
]


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


def section_url(assessment: Assessment, section_key: str) -> str:
    return reverse("assessments:section", args=[assessment.reference, section_key])


def section_data(
    assessment: Assessment,
    section_key: str,
    changes: dict | None = None,
    *,
    intent="later",
    completed="no",
    adding=False,
) -> dict:
    """What a browser posts from a section page showing the stored values, with ``changes`` applied.

    ``adding``: the page shown after "Add", with one more row, blank, to fill.
    """
    content = assessment_content(assessment)
    section = content.section_by_key(section_key)
    data = SectionEditor(content, section, adding=adding).posted_values()
    progress = content.progress.get(section.pk)
    data.update(revision=str(progress.revision if progress else 0), intent=intent, completed=completed)
    data.update(changes or {})
    return data


def blank_row(assessment: Assessment, section_key: str):
    """A stored row with nothing in it yet (as rows stored before blank ones were kept unsaved)."""
    content = assessment_content(assessment)
    part = SectionEditor(content, content.section_by_key(section_key)).rows_part
    return part.kind.model.objects.create(assessment=assessment)


def date_parts(name: str, day: date) -> dict[str, str]:
    """The three inputs of a GOV.UK date field: ``q-review_date_0/_1/_2`` (day, month, year)."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def answer_of(assessment: Assessment, question_key: str):
    answer = Answer.objects.filter(assessment=assessment, question__key=question_key).first()
    return answer.value if answer else None


def _valid_answer(question: Question, today: date):
    if question.key == "review_date":
        return (today + timedelta(days=365)).isoformat()
    if question.key == "decision":
        return Decision.NO_MAJOR_CHANGE.value
    if question.type == Question.Type.YES_NO:
        return False
    if question.type == Question.Type.DATE:
        return (today + timedelta(days=30)).isoformat()
    if question.type in Question.CHOICE_TYPES:
        first = question.choices()[0][0]
        return [first] if question.type == Question.Type.MULTIPLE_CHOICE else first
    return f"An answer to {question.key}."


def fill_assessment(assessment: Assessment, *, user) -> Assessment:
    """Answer everything so that every rule passes, and mark every section completed."""
    content = assessment_content(assessment)
    today = timezone.localdate()
    for questions in content.questions_by_section.values():
        for question in questions:
            Answer.objects.update_or_create(
                assessment=assessment,
                question=question,
                defaults={"value": _valid_answer(question, today), "updated_by": user},
            )
    ImpactRating.objects.filter(assessment=assessment).update(
        impact=Impact.NEUTRAL,
        evidence="Borough survey, split by group.",
        confidence=EvidenceConfidence.HIGH,
        data_gap=False,
    )
    combination = IntersectionalImpact.objects.create(
        assessment=assessment, impact=Impact.POSITIVE, evidence="Focus groups."
    )
    combination.characteristics.set(version_characteristics(content.version)[:2])
    PrincipleAlignment.objects.filter(assessment=assessment).update(
        alignment=PrincipleAlignmentLevel.ESTABLISHED, narrative="Designed with the community."
    )
    DutyContribution.objects.filter(assessment=assessment).update(
        contribution=DutyContributionLevel.WILL, narrative="It widens access."
    )
    ParticipationEntry.objects.create(
        assessment=assessment,
        who="Young people's advisory group",
        how="Workshops",
        when=today - timedelta(days=10),
        level=ParticipationLevel.CO_PRODUCED,
        paid=True,
        what_changed="Evening sessions.",
    )
    for section in content.sections:
        SectionProgress.objects.update_or_create(
            assessment=assessment,
            section=section,
            defaults={"status": SectionProgress.Status.COMPLETED, "updated_by": user},
        )
    services.content_changed(assessment)  # written here directly, not through a section's save
    assessment.refresh_from_db()
    return assessment


def break_down_race(assessment: Assessment, *, fill: bool = True) -> list[SubgroupRating]:
    """Race marked at screening, relevant, and assessed by the 2021 Census ethnic groups; with
    ``fill``, every ethnic group answered as the rules ask (the first relevant, the rest not).
    Returns the ethnic groups' rows in their order."""
    race = ImpactRating.objects.select_related("characteristic").get(
        assessment=assessment, characteristic__key="race"
    )
    screening, _ = Screening.objects.get_or_create(assessment=assessment)
    screening.groups.add(race.characteristic)
    race.relevant, race.by_subgroups = True, True
    race.save(update_fields=["relevant", "by_subgroups"])
    rows = list(
        SubgroupRating.objects.filter(assessment=assessment)
        .select_related("subgroup")
        .order_by("subgroup__order", "subgroup__pk")
    )
    if fill:
        for index, row in enumerate(rows):
            if index == 0:
                row.relevant, row.impact, row.evidence = True, Impact.POSITIVE, "Census 2021 by borough."
            else:
                row.relevant, row.not_relevant_reason = False, "Few live in the boroughs reached."
            row.save()
    return rows


def add_action(assessment: Assessment, *, characteristics=(), combinations=(), **fields) -> Action:
    """A complete action, linked to the given characteristics and combinations."""
    defaults = {
        "issue": "Sessions clash with prayer times.",
        "action": "Move sessions.",
        "measure": "Attendance by faith group.",
        "owner": assessment.owner,
        "due_date": timezone.localdate() + timedelta(days=60),
    }
    action = Action.objects.create(assessment=assessment, **{**defaults, **fields})
    action.characteristics.set(characteristics)
    action.intersectional_impacts.set(combinations)
    return action


def impacts_started(client, assessment: Assessment) -> None:
    """Save the impact grid as it is first shown, as ``client``: the section is started."""
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))


def post_follow_up(client, action: Action, *, status: str, progress_notes: str, due_date: date):
    """Post an action's follow-up page, as ``client``: its status, progress and due date."""
    url = reverse("assessments:action_follow_up", args=[action.assessment.reference, action.pk])
    return client.post(
        url, {"status": status, "progress_notes": progress_notes, **date_parts("due_date", due_date)}
    )


def stored_state(assessment: Assessment) -> dict:
    """Everything stored about an assessment, to compare before and after a refused request."""
    rows = {
        model.__name__: sorted(map(repr, model.objects.filter(assessment=assessment).values_list()))
        for model in (*ASSESSMENT_ROW_MODELS, SectionProgress)
    }
    rows["Assessment"] = repr(Assessment.objects.filter(pk=assessment.pk).values_list().get())
    rows["collaborators"] = sorted(assessment.collaborators.values_list("pk", flat=True))
    rows["partners"] = sorted(assessment.partners.values_list("pk", flat=True))
    return rows


def detail_page(client, assessment) -> tuple[str, list[str]]:
    """The assessment's page as ``client`` reads it, and the SQL of the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


TASK_STATUS = re.compile(r'id="task-([\w-]+)-status">\s*(?:<strong[^>]*>)?([^<]+?)\s*<')


def statuses(client, assessment) -> dict[str, str]:
    """Each section's status as the task list page shows it."""
    return dict(TASK_STATUS.findall(detail_page(client, assessment)[0]))


# Pages filled in a real browser, by a driver of the page that fills a field (``fill``, ``fill_date``),
# chooses a radio (``choose``), ticks a checkbox (``tick``), saves the section and waits for the next
# page (``save``) and reads its heading (``heading``): by mouse or by keyboard alike. Each fills in
# what one page asks; only ``rate_principles_and_duties`` saves, as it goes on to the next page.


def answer_about_the_activity(form) -> None:
    form.fill("q-aims", "Earlier support, in places young men already trust.")
    form.fill("q-affected", "Young Black men aged 16 to 25 in Newham.")
    form.choose("q-stage", "new")
    form.tick("q-levels", "communities")
    form.choose("q-rapid", "no")


def answer_evidence(form) -> None:
    form.fill("q-sources", "Newham JSNA 2023 and three listening events.")
    form.choose("q-disaggregation", "partly")
    form.fill("q-gaps", "Gay and bisexual young men are undercounted.")


def add_participation_entry(form, index: int, who: str) -> None:
    """Fill in the blank participation entry ``index`` just added: a co-produced, paid workshop."""
    prefix = f"participation-{index}-"
    form.fill(prefix + "who", who)
    form.fill(prefix + "how", "Design workshops")
    form.fill_date(prefix + "when", date(2026, 1, 12))
    form.choose(prefix + "level", "co_produced")
    form.choose(prefix + "paid", "yes")
    form.fill(prefix + "what_changed", "Sessions moved to evenings.")


def rate_principles_and_duties(form) -> None:
    """On the principles page, then the legal duties page, rate every row alike and save."""
    assert form.heading() == "EDI Framework principles"
    for index in range(form.page.locator("[id^='principles-row-']").count()):
        form.choose(f"principles-{index}-alignment", "emerging")
        form.fill(f"principles-{index}-narrative", "Shaped with the steering group.")
    form.save()
    assert form.heading() == "Legal duties"
    for index in range(form.page.locator("[id^='duties-row-']").count()):
        form.choose(f"duties-{index}-contribution", "will")
        form.fill(f"duties-{index}-narrative", "Targets a group with worse outcomes.")
    form.save()


def decide_to_adjust(form, justification: str) -> None:
    form.choose("q-decision", "adjust")
    form.fill("q-justification", justification)


def answer_monitoring(form) -> None:
    form.fill("q-measures", "Uptake and outcomes by ethnicity, age and disability.")
    form.fill("q-feedback", "Quarterly community meetings.")
    form.fill_date("q-review_date", date.today() + timedelta(days=200))
