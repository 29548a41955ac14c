from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from assessments import evidence, search, services
from assessments.conflicts import conflict_context, merged_post, typed_changes
from assessments.filters import AssessmentFilter
from assessments.forms import MAX_ROWS, AssessmentDetailsForm
from assessments.fragments import kept_fragment
from assessments.history import assessment_changes
from assessments.kinds import kinds_for
from assessments.models import Assessment
from assessments.overview import assessment_overview, read_signature
from assessments.permissions import (
    Act,
    ensure,
    get_assessment_for_user,
    may,
    may_create,
    may_review,
    refusal_reason,
)
from assessments.places import places_text, with_place_names
from assessments.refusals import links_back, refusal
from assessments.rules import assessment_failures
from assessments.scope import sections_in_scope
from assessments.screening_summary import screening_answers, screening_of
from assessments.sections import SectionEditor
from assessments.selectors import (
    AssessmentContent,
    assessment_content,
    assessment_template,
    comment_replies,
    recorded_progress,
    review_comments,
)
from assessments.signals import assessment_page_panels
from assessments.summary import assessment_summary
from assessments.tasklist import recorded_task_list, section_task, task_list, waiting_for
from frameworks.models import FrameworkVersion
from frameworks.scales import Scale
from places.london import LONDON_WIDE
from thrive_edi.people import person_name, with_names
from thrive_edi.refusals import TypedAnswer

SAVED_MESSAGE = "Your answers have been saved. You can come back to them at any time."
SUBMITTED_MESSAGE = "The assessment has been sent for review."
ROWS_FULL_MESSAGE = f"This section can hold up to {MAX_ROWS} rows. Remove one to add another."
CANNOT_START_MESSAGE = "You cannot start this section yet: complete the sections it depends on first."
SCREEN_FIRST_MESSAGE = "You cannot start this section yet: send the screening for confirmation first."
PAGE_SIZE = 25


def _editable(request: HttpRequest, reference: str, section_key: str = "", act: Act = Act.EDIT) -> Assessment:
    assessment = get_assessment_for_user(request.user, reference)
    reason = refusal_reason(act, request.user, assessment)
    if reason:
        typed = _typed_into(assessment, section_key, request.POST) if request.method == "POST" else ()
        raise refusal(reason, reference, typed=typed)
    return assessment


def _typed_into(assessment: Assessment, section_key: str, data) -> list[TypedAnswer]:
    """What was posted to a section that can no longer be saved, to show back, read-only."""
    if not section_key:
        return []
    content = assessment_content(assessment)
    section = content.section_by_key(section_key)
    if section is None:
        return []
    return [TypedAnswer(label, value) for label, value in typed_changes(content, section, data)]


_REFERENCE = "REFERENCE"
# What a row of the list reads: nothing else of the assessment or its owner is fetched.
ROW_FIELDS = (
    "reference",
    "title",
    "status",
    "updated_at",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _add_row_fields(assessments) -> None:
    """What each row of the list shows, made in Python: one reverse for the page instead of one a
    row (addresses differ only in the reference), and the owner's name and date made once."""
    address = reverse("assessments:detail", args=[_REFERENCE])
    status_labels = dict(Assessment.Status.choices)
    days = {}  # a list by last change shows a few days: each is formatted once
    for assessment in assessments:
        assessment.status_label = status_labels[assessment.status]
        assessment.address = address.replace(_REFERENCE, quote(assessment.reference, safe=""))
        assessment.owner_name = person_name(assessment.owner)
        day = timezone.localtime(assessment.updated_at).date()
        if day not in days:
            days[day] = date_format(day, "j M Y")
        assessment.changed_on = days[day]


_SECTION = "section"


def _add_section_addresses(tasks, reference: str) -> None:
    """Each task's section page, with one reverse for the page: the addresses differ only in the
    section's key, a slug, which the address holds as it is."""
    head, _, tail = reverse("assessments:section", args=[reference, _SECTION]).rpartition(_SECTION)
    for task in tasks:
        task.address = f"{head}{task.section.key}{tail}"


@require_http_methods(["GET"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    queryset = Assessment.objects.visible_to(request.user).select_related("owner").only(*ROW_FIELDS)
    approver = may_review(request.user)
    scope = request.GET.get("scope", "review" if approver else "mine" if may_create(request.user) else "all")
    if scope == "mine":
        queryset = queryset.involving(request.user)
    elif scope == "review":
        queryset = queryset.waiting_for_review_by(request.user) if approver else queryset.none()
    filterset = AssessmentFilter(request.GET, queryset=queryset, user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _add_row_fields(page.object_list)
    search.add_excerpts(page.object_list, search.searched_for(filterset))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/list.html",
        {
            "filter": filterset,
            "page": page,
            "scope": scope,
            "query": query.urlencode(),
            "may_create": may_create(request.user),
            "may_review": approver,
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not may_create(request.user):
        raise PermissionDenied
    version = FrameworkVersion.objects.current()
    if version is None:
        raise Http404("No framework version is published.")
    form = AssessmentDetailsForm(
        request.POST if request.method == "POST" else None, version=version, owner=request.user
    )
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(owner=request.user, screening=True, **form.details)
        return redirect("assessments:detail", reference=assessment.reference)
    return render(request, "assessments/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@links_back
def assessment_edit_details(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _editable(request, reference)
    initial = {
        "title": assessment.title,
        "activity_type": assessment.activity_type,
        "summary": assessment.summary,
        "collaborators": list(assessment.collaborators.all()),
        "partners": list(assessment.partners.all()),
        "where": [LONDON_WIDE]
        if assessment.london_wide
        else list(assessment.local_authorities.values_list("gss_code", flat=True)),
    }
    form = AssessmentDetailsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        version=assessment.framework_version,
        owner=assessment.owner,
    )
    based_on = request.POST.get("based_on", "") if request.method == "POST" else ""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update_details(
                assessment=assessment, user=request.user, based_on=based_on, **form.details
            )
        except services.DetailsConflict as error:
            conflict = error.current
        else:
            return redirect("assessments:detail", reference=assessment.reference)
    context = {
        "form": form,
        "assessment": assessment,
        "conflict": conflict,
        "conflict_places": places_text(conflict) if conflict else "",
        # Shown again after a conflict, a save replaces what is saved now, knowingly.
        "based_on": services.details_fingerprint(assessment) if conflict or not based_on else based_on,
    }
    return render(request, "assessments/edit_details.html", context, status=409 if conflict else 200)


@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(
        request.user,
        reference,
        # The places are read only when the record is drawn, not where it is kept.
        Assessment.objects.select_related("owner", "framework_version"),
    )
    read_signature(assessment)
    template = assessment_template(assessment)
    overview = assessment_overview(request.user, assessment, template.sections)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            **overview,
            "record": _record(assessment, template, overview),
            "panels": _page_panels(request, assessment),
        },
    )


def _record(assessment: Assessment, template, overview: dict) -> str:
    """The assessment's details and its sections, drawn at the first request and kept
    (``kept_fragment``): a signed-off assessment's for good, an editable one's until its next
    change. Later requests read neither its partners nor its sections' progress nor, while it
    can be edited, the content its rules check (nor its collaborators, unless a permission
    asks). The kept part is named by what in it depends on the reader: whether they may edit or
    screen, and the sections on which they see open review comments."""

    def draw() -> str:
        if assessment.is_editable:
            tasks = task_list(AssessmentContent(assessment, template))  # the template read once
        else:
            sections = sections_in_scope(template.sections, assessment.scope)
            tasks = recorded_task_list(sections, recorded_progress(assessment))
        _add_section_addresses(tasks, assessment.reference)
        prefetch_related_objects([assessment], "collaborators", "partners")
        return render_to_string(
            "assessments/_record.html",
            {
                "assessment": assessment,
                "tasks": tasks,
                "activity_label": template.version.label_for(Scale.ACTIVITY_TYPE, assessment.activity_type),
                "places": places_text(assessment),
                "may_edit": overview["may_edit"],
                "may_screen": overview["may_screen"],
                "commented_sections": overview["commented_sections"],
            },
        )

    commented = "-".join(str(pk) for pk in sorted(overview["commented_sections"])) or "none"
    flags = "".join(str(int(overview[flag])) for flag in ("may_edit", "may_screen"))
    return kept_fragment(f"record-{flags}-{commented}", assessment, draw, template)


def _page_panels(request: HttpRequest, assessment: Assessment) -> list:
    """The panels other apps add to the page (``assessment_page_panels``), in connection order."""
    replies = assessment_page_panels.send(sender=Assessment, request=request, assessment=assessment)
    return [html for _receiver, html in replies if html]


@require_http_methods(["GET", "POST"])
@links_back
def section_edit(request: HttpRequest, reference: str, section_key: str) -> HttpResponse:
    assessment = _editable(request, reference, section_key)
    content = assessment_content(assessment)
    section = content.section_by_key(section_key)
    if section is None:
        raise Http404("No such section.")
    if not assessment.screening_decided:
        messages.info(request, SCREEN_FIRST_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    if waiting_for(content, section):
        messages.info(request, CANNOT_START_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    if request.method == "POST":
        return _section_post(request, content, section)
    progress = content.progress.get(section.pk)
    return _section_page(
        request,
        content,
        section,
        _kept_section_form(content, section, adding=request.GET.get("add") == "1"),
        progress.revision if progress else 0,
    )


def _kept_section_form(content: AssessmentContent, section, *, adding: bool) -> str:
    """The section's fields as stored, and whether it counts as completed, drawn once and kept
    until the assessment changes (``kept_fragment``): a later request reads neither the rows
    nor the rules. A section whose forms list people is drawn at every request."""

    def draw() -> str:
        editor = SectionEditor(content, section, adding=adding)
        task = section_task(content, section)
        return _section_form(editor, mark_completed=task.status == task.COMPLETED)

    if any(kind.lists_people for kind in kinds_for(section.structured)):
        return draw()
    name = f"section-{section.key}{'-adding' if adding else ''}"
    return kept_fragment(name, content.assessment, draw, content.template)


def _section_form(editor: SectionEditor, *, mark_completed: bool) -> str:
    return render_to_string(
        "assessments/_section_form.html", {"editor": editor, "mark_completed": mark_completed}
    )


def _section_page(request, content, section, form_html, revision, errors=(), status=200):
    return render(
        request,
        "assessments/section.html",
        {
            "assessment": content.assessment,
            "content": content,
            "section": section,
            "form_html": form_html,
            "revision": revision,
            "errors": errors,
            "comments": with_names(
                review_comments(content.assessment).filter(section=section, parent__isnull=True),
                "author",
            ).prefetch_related(comment_replies()),
            "may_answer_comments": may(Act.COMMENT, request.user, content.assessment),
            "evidence_items": evidence.assessment_evidence(content.assessment)
            if section.key == evidence.EVIDENCE_SECTION
            else None,
        },
        status=status,
    )


def _section_post(request, content, section) -> HttpResponse:
    intent = request.POST.get("intent", "continue")
    data = merged_post(request.POST, content, section) if intent == "merge" else request.POST
    editor = SectionEditor(content, section, data=data)
    adding = intent == "add"
    mark_completed = data.get("completed") == "yes"
    try:
        revision = int(data.get("revision", ""))
    except ValueError:
        revision = 0  # not saying what it was based on: the blank section, so never a silent overwrite
    try:
        outcome = services.section_save(
            editor=editor,
            user=request.user,
            based_on_revision=revision,
            mark_completed=mark_completed,
            keep_status=adding,
        )
    except services.EditConflict as conflict:
        return render(
            request,
            "assessments/conflict.html",
            # The other save may be the same person's, in another tab or window.
            {
                **conflict_context(content, section, data, conflict),
                "by_you": conflict.progress.updated_by_id == request.user.pk,
            },
            status=409,
        )
    checked = mark_completed and not adding
    if outcome.input_errors or (checked and outcome.failures):
        # One summary: what could not be kept as typed, then what is missing, each beside its field.
        errors = [*outcome.input_errors, *editor.show_failures(list(outcome.failures if checked else ()))]
        return _section_page(
            request,
            editor.content,
            section,
            _section_form(editor, mark_completed=mark_completed),
            outcome.progress.revision,
            errors,
        )
    reference = content.assessment.reference
    if adding and editor.rows_part:
        url = reverse("assessments:section", args=[reference, section.key])
        if not editor.rows_part.may_add_row():
            messages.info(request, ROWS_FULL_MESSAGE)
            return redirect(url)
        # The page shows one more row, blank and not stored until something is typed in it.
        return redirect(f"{url}?add=1#{editor.rows_part.anchor_for_new_row()}")
    if intent == "later":
        messages.success(request, SAVED_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    if outcome.next_section is not None:
        return redirect("assessments:section", reference=reference, section_key=outcome.next_section.key)
    return redirect("assessments:check", reference=reference)


@require_http_methods(["GET"])
def check_answers(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(
        request.user,
        reference,
        with_place_names(Assessment.objects.select_related("owner", "framework_version")).prefetch_related(
            "collaborators"
        ),
    )
    content = assessment_content(assessment)
    editing = may(Act.EDIT, request.user, assessment)

    def summary_html() -> str:
        summary = {"assessment": assessment, "summary": assessment_summary(content), "may_edit": editing}
        return render_to_string("assessments/_summary_sections.html", summary)

    return render(
        request,
        "assessments/check.html",
        {
            "assessment": assessment,
            # What needs fixing is shown only to those who may fix it.
            "failures": assessment_failures(content) if editing else [],
            "summary_html": kept_fragment("check-answers", assessment, summary_html),
            "may_edit": editing,
            "evidence_items": evidence.assessment_evidence(assessment),
            "may_submit": editing and may(Act.SUBMIT, request.user, assessment),
            "screening_answers": screening_answers(screening_of(assessment))
            if assessment.is_screened
            else [],
            "places": places_text(assessment),
        },
    )


@require_POST
@links_back
def assessment_submit(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _editable(request, reference, act=Act.SUBMIT)
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except ValidationError:
        messages.info(request, "The assessment is not ready to submit yet: see what is missing below.")
        return redirect("assessments:check", reference=reference)
    messages.success(request, SUBMITTED_MESSAGE)
    return redirect("assessments:detail", reference=reference)


@require_http_methods(["GET"])
@links_back
def assessment_history(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.READ_WORKINGS, request.user, assessment)
    number = request.GET.get("page", "1")

    def changes_html() -> str:
        page = Paginator(assessment_changes(assessment), 50).get_page(number)
        return render_to_string("assessments/_history_changes.html", {"page": page})

    # Kept under page numbers only, not under whatever else a request names.
    kept = number.isdigit() and len(number) < 5
    changes = kept_fragment(f"history-{int(number)}", assessment, changes_html) if kept else changes_html()
    return render(request, "assessments/history.html", {"assessment": assessment, "changes": changes})
