"""Alignment with the principles: one row per principle of the framework version."""

from assessments.display import label
from assessments.forms import PrincipleAlignmentFormSet
from assessments.kinds.base import MatchedRowKind, text
from assessments.models import PrincipleAlignment
from frameworks.scales import Scale, StructuredPart


class PrincipleKind(MatchedRowKind):
    structured = StructuredPart.PRINCIPLE_ALIGNMENT
    model = PrincipleAlignment
    formset_class = PrincipleAlignmentFormSet
    prefix = "principles"
    content_attr = "alignments"
    history_label = "Principle alignment"
    caption = "Alignment with the principles"
    headers = ("Principle", "Alignment", "How")
    column_widths = (30, 15, 55)
    template_name = "assessments/parts/principles.html"
    scales = {"alignment": Scale.PRINCIPLE_ALIGNMENT}
    choice_field = "alignment"
    choose_message = "Choose how the activity aligns with {name}"
    explain_message = "Explain the alignment with {name}"
    match_links = ("principle_id",)

    def new_rows(self, assessment, version):
        return [PrincipleAlignment(assessment=assessment, principle=p) for p in version.principles.all()]

    def queryset(self, assessment):
        return (
            PrincipleAlignment.objects.filter(assessment=assessment)
            .select_related("principle__pillar")
            .order_by("principle__order", "principle__pk")
        )

    def row_label(self, content, form, index):
        if form.instance.principle_id is None:  # a refused row id: nothing to name
            return super().row_label(content, form, index)
        return form.instance.principle.name

    def row_name(self, content, row):
        return row.principle.name

    def table_rows(self, content):
        return [
            [a.principle.name, label(content, Scale.PRINCIPLE_ALIGNMENT, a.alignment), text(a.narrative)]
            for a in self.rows(content)
        ]

    def describe(self, record, reader):
        return f"Principle: {reader.principles.get(record.principle_id, 'a principle')}"

    def match_key(self, row):
        return row.principle.key

    def lost_message(self, row):
        return f"The alignment with {row.principle.name}: the principle is not in the current framework."
