"""Forms of the impact grid's rows: one for each group of the framework version, and one for
each finer group (an ethnic group within race) where the team assesses a group by them.

A page of groups opens as a short list: each row asks first whether the activity could affect
the group, and reveals the questions in depth or a line saying why not.
"""

import functools
from urllib.parse import quote

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from assessments.forms.common import textarea
from assessments.forms.lean import hidden_html, radios_revealing, row_html
from assessments.forms.rows import (
    IMPACT_LABELS,
    FixedChoices,
    RowForm,
    row_formset,
    yes_no_field,
    yes_no_initial,
)
from assessments.models import ImpactRating, SubgroupRating
from assessments.thresholds import IMPACTS_NEEDING_JUSTIFICATION, IMPACTS_NEEDING_MITIGATION
from frameworks.scales import Scale
from thrive_edi.forms import escaped

RELEVANCE_CHOICES = [("yes", "Yes, assess it in depth"), ("no", "No, not relevant")]
REASON_LABEL = "Why not, in a line?"


def relevance_and_impact(*, evidence_rows: int) -> list:
    """The questions every row of the grid begins with: whether the activity could affect the
    group, why not, or the likely impact and its evidence."""
    return [
        Field.radios("relevant", legend_size=Size.SMALL, small=True),
        Field.text("not_relevant_reason"),
        Field.radios("impact", legend_size=Size.SMALL, small=True),
        textarea("evidence", rows=evidence_rows),
    ]


class ImpactRatingForm(RowForm):
    scale_fields = {"impact": Scale.IMPACT, "confidence": Scale.EVIDENCE_CONFIDENCE}
    relevant = forms.TypedChoiceField(
        label="Could the activity affect this group?",
        required=False,
        choices=FixedChoices(RELEVANCE_CHOICES),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=None,
    )
    data_gap = yes_no_field("Is there a gap in the data for this group?")
    by_subgroups = forms.TypedChoiceField(
        label="Assess the group by its finer groups?",
        help_text="Optional: each of them then has a row of its own.",
        required=False,
        choices=FixedChoices([("yes", "Yes"), ("no", "No")]),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=False,
    )

    class Meta:
        model = ImpactRating
        fields = [
            "by_subgroups",
            "relevant",
            "not_relevant_reason",
            "impact",
            "evidence",
            "confidence",
            "data_gap",
            "data_gap_note",
            "mitigation",
            "justification",
        ]
        labels = {
            "not_relevant_reason": REASON_LABEL,
            **IMPACT_LABELS,
            "confidence": "How confident is the evidence?",
            "data_gap_note": "What data is missing, and how will you fill the gap?",
            "mitigation": "How will a negative impact be mitigated?",
            "justification": (
                "If the activity goes ahead despite a significant negative impact, "
                "the objective justification"
            ),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["evidence", "data_gap_note", "mitigation", "justification"]
        }

    def __init__(self, *args, breakdowns: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        yes_no_initial(self, "data_gap")
        if self.instance.is_relevant is not None:  # a chosen impact counts as relevant
            self.initial["relevant"] = "yes" if self.instance.is_relevant else "no"
        # The finer groups' rows drawn under the choice to assess by them: (category, [(element
        # id, form)]), given by the section page (``kinds.SubgroupKind.nest``).
        self.breakdown_rows: list[tuple[str, list]] = []
        self.breakdown_id = ""  # the id of the block holding them
        breakdown = (breakdowns or {}).get(self.instance.characteristic_id)
        if breakdown is None:  # offered only where the framework and the screening allow it
            del self.fields["by_subgroups"]
        else:
            name = self.instance.characteristic.name
            self.fields["by_subgroups"].label = f"Assess {name.lower()} by the {breakdown}?"
            self.initial["by_subgroups"] = "yes" if self.instance.by_subgroups else "no"

    @classmethod
    def rows_html(cls, rows) -> SafeString:
        """The section page's rows of this form, drawn as a whole (``grid_rows_html``)."""
        return grid_rows_html(rows)

    def summary_line(self) -> str:
        """The group's answers so far, in a line: what the page shows before it is opened."""
        rating = self.instance
        if rating.is_relevant is None:
            return "Not decided yet"
        if not rating.is_relevant:
            return f"Not relevant: {rating.not_relevant_reason or 'no reason given yet'}"
        impact = self.version.labels(Scale.IMPACT).get(rating.impact, "") if rating.impact else ""
        return f"Relevant: {impact.lower() + ' impact' if impact else 'impact not rated yet'}"

    # The questions a rating calls for: shown only then (the page's script shows them as the
    # rating is chosen; without it, when the page comes back from a save).
    REVEALED = {"mitigation": IMPACTS_NEEDING_MITIGATION, "justification": IMPACTS_NEEDING_JUSTIFICATION}

    @classmethod
    def fixed_layout(cls) -> list:
        """The layout every group's row shares."""
        return [
            *relevance_and_impact(evidence_rows=3),
            Field.radios("confidence", legend_size=Size.SMALL, small=True),
            Field.radios("data_gap", legend_size=Size.SMALL, small=True, inline=True),
            textarea("data_gap_note", rows=2),
            textarea("mitigation", rows=3),
            textarea("justification", rows=3),
        ]

    def layout(self) -> list:
        by_subgroups = (
            [Field.radios("by_subgroups", legend_size=Size.SMALL, small=True)] if self.breaks_down else []
        )
        return [*_layout_of(type(self)), *by_subgroups]

    @property
    def breaks_down(self) -> bool:
        """Whether the group may be assessed by its finer groups."""
        return "by_subgroups" in self.fields

    def lean_html(self):
        """The relevance choice, revealing a one-line reason or the questions in depth: a page of
        groups opens as a short list, without JavaScript everything shows (GOV.UK radios)."""
        relevance, reason, *in_depth = self.layout()
        hidden = "".join(hidden_html(field) for field in self.hidden_fields())
        revealed = {"yes": self._in_depth_html(in_depth), "no": row_html(self, [reason], hidden=False)}
        return SafeString(hidden + radios_revealing(self, relevance, revealed))

    def _in_depth_html(self, items):
        by_subgroups = [item for item in items if item.fields[0] == "by_subgroups"]
        items = [item for item in items if item.fields[0] != "by_subgroups"]
        always = [item for item in items if item.fields[0] not in self.REVEALED]
        parts = [row_html(self, always, hidden=False)]
        impact_field = self["impact"]
        impact = str(impact_field.value() or "")
        for item in items:
            name = item.fields[0]
            if name not in self.REVEALED:
                continue
            needs = sorted(self.REVEALED[name])
            shown = "" if impact in needs or self[name].errors else " hidden"
            parts.append(
                f'<div class="thrive-reveal" data-reveal-when="{escape(impact_field.html_name)}" '
                f'data-reveal-values="{escape(" ".join(needs))}"{shown}>'
                f"{row_html(self, [item], hidden=False)}</div>"
            )
        for item in by_subgroups:  # the finer groups' rows show once the team chooses them
            parts.append(radios_revealing(self, item, {"yes": self._breakdown_html()}))
        return SafeString("".join(parts))  # each part is escaped as it is made

    def _breakdown_html(self):
        return format_html('<div id="{}">{}</div>', self.breakdown_id, self._categories_html())

    def _categories_html(self):
        return format_html_join(
            "",
            '<div class="thrive-breakdown"><h4 class="govuk-heading-s">{}</h4>{}</div>',
            (
                (
                    category,
                    format_html_join(
                        "",
                        '<div class="thrive-subrow" id="{}">{}</div>',
                        ((row_id, form.lean_html()) for row_id, form in rows),
                    ),
                )
                for category, rows in self.breakdown_rows
            ),
        )


@functools.lru_cache(maxsize=8)
def _layout_of(form_class) -> tuple:
    """The crispy layout that every row of a form class shares, made once: the lean rows only
    read it."""
    return tuple(form_class.fixed_layout())


class SubgroupRatingForm(RowForm):
    """A finer group of a characteristic (an ethnic group within race), kept short: whether the
    activity could affect it, then a line why not, or the likely impact and its evidence."""

    scale_fields = {"impact": Scale.IMPACT}
    relevant = ImpactRatingForm.base_fields["relevant"]

    class Meta:
        model = SubgroupRating
        fields = ["relevant", "not_relevant_reason", "impact", "evidence"]
        labels = {"not_relevant_reason": REASON_LABEL, **IMPACT_LABELS}
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.relevant is not None:
            self.initial["relevant"] = "yes" if self.instance.relevant else "no"
        if self.instance.subgroup_id is not None:  # the group's name heads its row
            self.fields["relevant"].label = self.instance.subgroup.name

    def name_group(self, group: str) -> None:
        legend = self.fields["relevant"].label
        super().name_group(group)
        self.fields["relevant"].label = legend  # the legend is the group's name already
        self.plain_labels["relevant"] = legend

    def summary_line(self) -> str:
        if self.instance.relevant is None:
            return "Not decided yet"
        return "Relevant" if self.instance.relevant else "Not relevant"

    def layout(self) -> list:
        return relevance_and_impact(evidence_rows=2)

    def lean_html(self):
        relevance, reason, *in_depth = self.layout()
        hidden = mark_safe("".join(str(field) for field in self.hidden_fields()))  # noqa: S308 - Django's
        return hidden + radios_revealing(
            self,
            relevance,
            {"yes": row_html(self, in_depth, hidden=False), "no": row_html(self, [reason], hidden=False)},
        )


# The heading over the rows of each kind of group; the rest are the framework's additional groups.
KIND_HEADINGS = {"protected": "Protected characteristics (Equality Act 2010)"}
OTHER_GROUPS_HEADING = "Additional groups"


def grid_rows_html(rows) -> SafeString:
    """The impact grid's rows (``RowsPart.rows``), each kind of group under its heading: the
    markup ``assessments/parts/impact_grid.html`` drew with a template for each row, which took a
    fifth of the page's time (``test_impact_grid`` draws the rows both ways and compares them)."""
    parts = []
    previous = object()  # the first row starts a heading, whatever its kind
    guide = _GuideAddresses()
    for label, row_id, form in rows:
        characteristic = form.instance.characteristic if form.instance.characteristic_id else None
        kind = characteristic.kind if characteristic is not None else None
        parts.append("\n      ")
        if kind != previous:
            heading = KIND_HEADINGS.get(kind, OTHER_GROUPS_HEADING)
            parts.append(f'\n        <h2 class="govuk-heading-l">{heading}</h2>\n      ')
            previous = kind
        parts.append(
            f'\n      <div class="thrive-row" id="{escaped(row_id)}">\n'
            f'        <h3 class="govuk-heading-m govuk-!-margin-bottom-1">{escaped(label)}</h3>\n'
            '        <p class="govuk-body-s thrive-row__summary">'
            f"{escaped(form.summary_line())}</p>\n        "
        )
        if characteristic is not None and characteristic.guidance:
            parts.append(
                '\n        <details class="govuk-details">\n'
                '          <summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
                f"What to consider for {escaped(label)}</span></summary>\n"
                f'          <div class="govuk-details__text">{escaped(characteristic.guidance)} '
                f'<a class="govuk-link" href="{escaped(guide.of(characteristic))}">'
                "More in the framework guide</a></div>\n        </details>\n        "
            )
        parts.append(f"\n        {form.lean_html()}\n      </div>\n    ")
    return SafeString("".join(parts))  # each part is escaped as it is made


class _GuideAddresses:
    """Each characteristic's page in the framework guide (``get_absolute_url``), with one
    ``reverse`` for the grid instead of one a row: the addresses differ only in the key."""

    KEY = "KEY"

    def __init__(self):
        self.patterns: dict[int, str] = {}

    def of(self, characteristic) -> str:
        version = characteristic.version_id
        if version not in self.patterns:
            self.patterns[version] = reverse("frameworks:version_characteristic", args=[version, self.KEY])
        return self.patterns[version].replace(self.KEY, quote(characteristic.key, safe=""))


ImpactRatingFormSet = row_formset(ImpactRatingForm, can_delete=False, fixed=True)
SubgroupRatingFormSet = row_formset(SubgroupRatingForm, can_delete=False, fixed=True)
