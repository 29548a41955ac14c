"""Contributions to the legal duties: one row per aim of the public sector equality duty."""

from assessments.display import label
from assessments.forms import DutyFormSet
from assessments.kinds.base import MatchedRowKind, text
from assessments.models import DutyAim, DutyContribution
from frameworks.scales import Scale, StructuredPart


class DutyKind(MatchedRowKind):
    structured = StructuredPart.DUTY_CONTRIBUTIONS
    model = DutyContribution
    formset_class = DutyFormSet
    prefix = "duties"
    content_attr = "duties"
    history_label = "Legal duty"
    caption = "Legal duties"
    headers = ("Aim", "Contribution", "How")
    column_widths = (30, 15, 55)
    scales = {"aim": Scale.PSED_AIM, "contribution": Scale.DUTY_CONTRIBUTION}
    choice_field = "contribution"
    choose_message = "Choose the contribution to: {name}"
    explain_message = "Explain the contribution to: {name}"
    match_links = ("aim",)

    def new_rows(self, assessment, version):
        return [DutyContribution(assessment=assessment, aim=aim) for aim in DutyAim.values]

    def aim_name(self, version, row) -> str:
        return version.labels(Scale.PSED_AIM).get(row.aim) or row.get_aim_display()

    def row_label(self, content, form, index):
        return self.aim_name(content.version, form.instance)

    def row_name(self, content, row):
        return self.aim_name(content.version, row)

    def table_rows(self, content):
        return [
            [
                self.aim_name(content.version, d),
                label(content, Scale.DUTY_CONTRIBUTION, d.contribution),
                text(d.narrative),
            ]
            for d in self.rows(content)
        ]

    def describe(self, record, reader):
        return f"Legal duty: {reader.value(DutyContribution, 'aim', record.aim, record)}"

    def match_key(self, row):
        return row.aim
