"""An assessment's evidence: the page that lists, adds and removes it, and the download of a file.

Files are never public: each download checks who may read the assessment (404 otherwise), and
is sent as an attachment that browsers do not sniff.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments import evidence
from assessments.forms.evidence import EvidenceFileForm, EvidenceLinkForm
from assessments.models import Evidence
from assessments.permissions import Act, get_assessment_for_user, may
from assessments.refusals import links_back
from assessments.selectors import assessment_template
from thrive_edi.forms import field_anchor

LINK_ADDED_MESSAGE = "The link has been added to the evidence."
FILE_ADDED_MESSAGE = "The file has been added to the evidence."
REMOVED_MESSAGE = "“{title}” has been removed from the evidence."


def _form_errors(form) -> list[tuple[str, str]]:
    return [
        (field_anchor(form[name]), message)
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


@require_http_methods(["GET", "POST"])
@links_back
def evidence_page(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    version = assessment_template(assessment).version
    link_form = EvidenceLinkForm(version=version, prefix="link")
    file_form = EvidenceFileForm(version=version, prefix="file")
    errors = []
    if request.method == "POST":
        if request.POST.get("intent") == "file":
            file_form = EvidenceFileForm(request.POST, request.FILES, version=version, prefix="file")
            form, added = file_form, FILE_ADDED_MESSAGE
        else:
            link_form = EvidenceLinkForm(request.POST, version=version, prefix="link")
            form, added = link_form, LINK_ADDED_MESSAGE
        if form.is_valid():
            data = form.cleaned_data
            common = {
                "assessment": assessment,
                "user": request.user,
                "characteristic": data["characteristic"],
            }
            if form is file_form:
                evidence.evidence_file_add(upload=data["file"], title=data["title"], **common)
            else:
                evidence.evidence_link_add(title=data["title"], url=data["url"], **common)
            messages.success(request, added)
            return redirect("assessments:evidence", reference=reference)
        errors = _form_errors(form)
    return render(
        request,
        "assessments/evidence.html",
        {
            "assessment": assessment,
            "items": evidence.assessment_evidence(assessment),
            "link_form": link_form,
            "file_form": file_form,
            "errors": errors,
            "may_change": assessment.is_editable and may(Act.EDIT, request.user, assessment),
        },
        status=400 if errors else 200,
    )


@require_POST
@links_back
def evidence_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    item = get_object_or_404(Evidence, pk=pk, assessment=assessment)
    evidence.evidence_delete(item=item, user=request.user)
    messages.success(request, REMOVED_MESSAGE.format(title=item.title))
    return redirect("assessments:evidence", reference=reference)


@require_http_methods(["GET"])
def evidence_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    assessment = get_assessment_for_user(request.user, reference)
    if not may(Act.VIEW, request.user, assessment):
        raise Http404("No such file.")
    item = get_object_or_404(Evidence, pk=pk, assessment=assessment, kind=Evidence.Kind.FILE)
    try:
        stored = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("No such file.") from missing
    response = FileResponse(
        stored, as_attachment=True, filename=item.file_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
