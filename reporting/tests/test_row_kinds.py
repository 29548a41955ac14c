"""Every kind of row, as the one registry (``assessments.kinds``) declares it, reaches every page
and document that shows rows: the section page, the rules, the summary, the history, the PDF
and the re-assessment's copy. A kind defined here, in the test alone, reaches them too."""

import pytest
from django.urls import reverse

from assessments import kinds, lifecycle
from assessments.forms import ParticipationFormSet
from assessments.history import _Reader, assessment_changes
from assessments.kinds import ADD_ROW_ID, RowKind, kind_for, row_kinds
from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Answer,
    IntersectionalImpact,
    ParticipationEntry,
    Screening,
)
from assessments.rules import section_failures
from assessments.selectors import AssessmentContent, assessment_content
from assessments.summary import assessment_summary
from assessments.tests.factories import (
    add_action,
    break_down_race,
    fill_assessment,
    make_assessment,
    section_url,
)
from frameworks.models import Section
from frameworks.scales import StructuredPart
from reporting.tests.pdf_checks import extracted_text, squeezed, stored_pdf
from thrive_edi.tests.html_tree import page_tree


@pytest.fixture
def editor(client, staff_user):
    """The client, signed in as the owner of the assessments made here."""
    client.force_login(staff_user)
    return client


def filled_with_an_action(user):
    """An assessment that passes every rule and holds at least one row of every kind."""
    assessment = fill_assessment(make_assessment(user), user=user)
    break_down_race(assessment)  # the ethnic groups' rows are in use only when chosen
    combination = IntersectionalImpact.objects.get(assessment=assessment)
    add_action(assessment, characteristics=combination.characteristics.all(), combinations=[combination])
    return assessment


def kind_sections(content: AssessmentContent):
    """(kind, the section holding its rows) for every registered kind."""
    pairs = [(kind, content.section_holding(kind.structured)) for kind in row_kinds()]
    assert all(section is not None for _, section in pairs)
    return pairs


def test_the_registry_lists_every_structured_part_once():
    main = [kind for kind in row_kinds() if not kind.nested_in]
    assert sorted(kind.structured for kind in main) == sorted(StructuredPart.values)
    for kind in row_kinds():  # a kind drawn inside another's rows shares that kind's section
        if kind.nested_in:
            assert kind.structured == next(k.structured for k in main if k.prefix == kind.nested_in)
    for attribute in ("prefix", "content_attr", "model", "caption"):
        values = [getattr(kind, attribute) for kind in row_kinds()]
        assert len(set(values)) == len(values), attribute
    assert {kind.content_attr for kind in row_kinds()} <= set(AssessmentContent.PARTS)
    assert {kind.model for kind in row_kinds()} == set(ASSESSMENT_ROW_MODELS) - {Answer}


@pytest.mark.django_db
def test_every_kind_draws_its_rows_on_its_section_page(editor, staff_user):
    assessment = filled_with_an_action(staff_user)
    content = assessment_content(assessment)
    for kind, section in kind_sections(content):
        tree = page_tree(editor.get(section_url(assessment, section.key)).content.decode())
        assert tree.by_id(kind.rows_id) is not None, kind.prefix
        for index, row in enumerate(kind.rows(content)):
            drawn = tree.by_id(kind.row_id(index))
            assert drawn is not None, (kind.prefix, index)
            assert tree.by_id(f"id_{kind.row_prefix(index)}-id").attrs["value"] == str(row.pk)


@pytest.mark.django_db
def test_every_kind_s_rules_point_at_its_own_rows(staff_user):
    assessment = make_assessment(staff_user)
    for kind in row_kinds():
        if kind.adds_rows:
            kind.model.objects.create(assessment=assessment)  # stored blank: each rule fails
    break_down_race(assessment, fill=False)
    content = assessment_content(assessment)
    for kind, section in kind_sections(content):
        failures = section_failures(content, section)
        rows = {failure.row for failure in failures if failure.prefix == kind.row_prefix(0)}
        assert rows == {kind.rows(content)[0].pk}, kind.prefix


@pytest.mark.django_db
def test_every_kind_has_its_table_in_the_summary_with_a_row_for_each_row(staff_user):
    content = assessment_content(filled_with_an_action(staff_user))
    tables = {table.anchor: table for item in assessment_summary(content) for table in item.tables}
    for kind in row_kinds():
        table = tables[kind.rows_id]
        assert (table.caption, table.headers) == (kind.table(content).caption, list(kind.headers))
        assert len(table.rows) == len(kind.rows(content)) > 0, kind.prefix


@pytest.mark.django_db
def test_every_kind_s_rows_are_named_in_the_history(editor, staff_user):
    assessment = filled_with_an_action(staff_user)
    content = assessment_content(assessment)
    for kind in row_kinds():
        kind.rows(content)[0].save()  # rows made in bulk have no history until changed
    reader = _Reader(assessment, {})
    named = {change.what for change in assessment_changes(assessment)}
    page = editor.get(reverse("assessments:history", args=[assessment.reference])).content.decode()
    for kind in row_kinds():
        row = kind.rows(content)[0]
        what = kind.describe(kind.model.history.filter(id=row.pk).latest("history_date"), reader)
        assert what in named, kind.prefix
        assert what in page_tree(page).find_all("main")[0].text, kind.prefix


@pytest.mark.django_db
def test_every_kind_is_printed_in_the_pdf_and_copied_into_a_re_assessment(staff_user, sign_off, tmp_path):
    signed = sign_off(filled_with_an_action(staff_user))
    text = squeezed(extracted_text(stored_pdf(signed), tmp_path))
    new = lifecycle.assessment_reassess(assessment=signed, user=staff_user)
    # The finer groups' rows are read where the screening marks their group: the new version's
    # screening is answered afresh, so it is marked here as it was.
    marked = Screening.objects.get(assessment=signed).groups.all()
    Screening.objects.get_or_create(assessment=new)[0].groups.add(*marked)
    before, after = assessment_content(signed), assessment_content(new)
    for kind in row_kinds():
        assert squeezed(kind.table(before).caption) in text, kind.prefix
        assert all(squeezed(header) in text for header in kind.headers), kind.prefix
        assert kind.table_rows(after) == kind.table_rows(before), kind.prefix
        assert {row.assessment_id for row in kind.rows(after)} == {new.pk}, kind.prefix


# A kind of row defined by this test alone: a log book of the people consulted, in place of the
# participation log. Nothing else in the app is told about it.
LOGBOOK = "logbook"


class LogbookKind(RowKind):
    structured = LOGBOOK
    model = ParticipationEntry
    formset_class = ParticipationFormSet
    prefix = "logbook"
    content_attr = "participation"
    history_label = "Log book entry"
    caption = "Log book of the people consulted"
    headers = ("Who", "How", "When", "Level", "Paid", "What changed", "Notes")
    adds_rows = True
    add_label = "Add to the log book"

    def failures(self, content, section):
        rows = self.rows(content)
        if not rows:
            return [self.failure(section, "Add someone to the log book")]
        return [
            self.failure(section, f"Say who was consulted (entry {index + 1})", "who", index, row)
            for index, row in enumerate(rows)
            if not row.who
        ]


@pytest.fixture
def logbook(monkeypatch, staff_user):
    """The kind registered in place of the participation log, and a version holding its section."""
    participation = kind_for(StructuredPart.PARTICIPATION_LOG)
    monkeypatch.setattr(kinds, "ROW_KINDS", [k for k in kinds.ROW_KINDS if k is not participation])
    kind = LogbookKind()
    with kinds.registered(kind):
        assessment = make_assessment(staff_user)
        Section.objects.filter(
            version=assessment.framework_version, structured=StructuredPart.PARTICIPATION_LOG
        ).update(structured=LOGBOOK)
        yield kind, assessment


@pytest.mark.django_db
def test_a_kind_registered_in_one_definition_flows_through_every_page(
    logbook, editor, staff_user, sign_off, tmp_path
):
    kind, assessment = logbook
    section = assessment_content(assessment).section_holding(LOGBOOK)
    url = section_url(assessment, section.key)
    page = page_tree(editor.get(url).content.decode())
    assert page.by_id(kind.rows_id) is not None
    assert page.by_id(ADD_ROW_ID).text == kind.add_label

    # Its rule, on its page, links to its "Add" button.
    response = editor.post(url, {"completed": "yes", "revision": "0", **_management(kind)})
    tree = page_tree(response.content.decode())
    (summary,) = tree.find_all(css="govuk-error-summary")
    links = {a.text: a.attrs["href"] for a in summary.find_all("a")}
    assert links["Add someone to the log book"] == f"#{ADD_ROW_ID}"

    # A blank row is refused by its rule, with a link to its field.
    entry = ParticipationEntry.objects.create(assessment=assessment, how="A walk-in session")
    failures = [f for f in section_failures(assessment_content(assessment), section) if f.row]
    assert [(f.anchor, f.row) for f in failures] == [(f"div_id_{kind.row_prefix(0)}-who", entry.pk)]
    assert page_tree(editor.get(url).content.decode()).by_id(failures[0].anchor) is not None

    filled = filled_with_an_action(staff_user)  # its participation entry is now a log book entry
    ParticipationEntry.objects.filter(assessment=filled).update(what_changed="Evening sessions")
    tables = [t for item in assessment_summary(assessment_content(filled)) for t in item.tables]
    assert any(t.caption == kind.caption and t.anchor == kind.rows_id and t.rows for t in tables)
    history = editor.get(reverse("assessments:history", args=[filled.reference])).content.decode()
    assert kind.history_label in history

    signed = sign_off(filled)
    assert squeezed(kind.caption) in squeezed(extracted_text(stored_pdf(signed), tmp_path))
    new = lifecycle.assessment_reassess(assessment=signed, user=staff_user)
    copied = ParticipationEntry.objects.filter(assessment=new)
    assert [e.who for e in copied] == [e.who for e in ParticipationEntry.objects.filter(assessment=signed)]


def _management(kind) -> dict[str, str]:
    prefix = kind.prefix
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
