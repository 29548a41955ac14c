"""Impacts on the finer groups of a characteristic: race by the 2021 Census ethnic groups.

Optional and off by default. The framework version gives a characteristic its breakdown (the
``frameworks.Subgroup`` rows); an assessment may use it for a characteristic its screening
marked as plausibly affected, once the team chooses to (``ImpactRating.by_subgroups``). The rows
are drawn inside that characteristic's row of the impact grid, under the choice; the rules, the
summary, the PDF and the snapshot read only the rows in use.
"""

from assessments.display import label
from assessments.forms import SubgroupRatingFormSet
from assessments.kinds.base import MatchedRowKind, SummaryTable, text
from assessments.models import SubgroupRating
from frameworks.scales import Scale, StructuredPart


def breakdowns_offered(content) -> dict[int, str]:
    """{characteristic id: the name of its breakdown} of the characteristics the assessment may
    assess by their finer groups: those the framework breaks down and the screening marked."""
    broken_down = {
        pk: characteristic.breakdown
        for pk, characteristic in content.template.characteristics_by_id().items()
        if characteristic.breakdown
    }
    if not broken_down:  # a version without breakdowns: the screening need not be read
        return {}
    return {pk: name for pk, name in broken_down.items() if pk in content.screened_groups}


class SubgroupKind(MatchedRowKind):
    structured = StructuredPart.IMPACT_GRID
    nested_in = "impacts"  # drawn inside the rows of that kind (``nest``)
    model = SubgroupRating
    formset_class = SubgroupRatingFormSet
    prefix = "subgroups"
    content_attr = "subgroup_ratings"
    also_reads = ("ratings", "screened_groups")
    history_label = "Impact rating of a finer group"
    caption = "Impact on finer groups"
    headers = ("Group", "Category", "Impact", "Evidence")
    column_widths = (20, 25, 20, 35)
    template_name = "assessments/parts/nested_rows.html"
    scales = {"impact": Scale.IMPACT}
    match_links = ("subgroup_id",)

    def new_rows(self, assessment, version):
        return [SubgroupRating(assessment=assessment, subgroup=s) for s in version.subgroups.all()]

    def queryset(self, assessment):
        return (
            SubgroupRating.objects.filter(assessment=assessment)
            .select_related("subgroup")
            .order_by("subgroup__order", "subgroup__pk")
        )

    def page_queryset(self, content):
        """The rows the section page holds: those of the breakdowns the assessment may use."""
        offered = breakdowns_offered(content)
        if not offered:
            return SubgroupRating.objects.none()
        return self.queryset(content.assessment).filter(subgroup__characteristic__in=list(offered))

    def row_label(self, content, form, index):
        if form.instance.subgroup_id is None:
            return super().row_label(content, form, index)
        return form.instance.subgroup.name

    def characteristics_in_use(self, content) -> set[int]:
        """The characteristics assessed by their finer groups: offered, relevant and chosen."""
        chosen = {
            rating.characteristic_id
            for rating in content.ratings
            if rating.is_relevant and rating.by_subgroups
        }
        if not chosen:  # the usual case: nothing more is read
            return set()
        return chosen & set(breakdowns_offered(content))

    def rows(self, content):
        in_use = self.characteristics_in_use(content)
        if not in_use:
            return []
        return [row for row in content.subgroup_ratings if row.subgroup.characteristic_id in in_use]

    def nest(self, parent, part) -> None:
        """Give each row of ``parent`` (the impact grid) the rows of its finer groups, by category."""
        by_characteristic: dict[int, dict[str, list]] = {}
        for _label, row_id, form in part.rows():
            subgroup = form.instance.subgroup
            categories = by_characteristic.setdefault(subgroup.characteristic_id, {})
            categories.setdefault(subgroup.category, []).append((row_id, form))
        for _label, _row_id, form in parent.rows():
            if getattr(form, "breaks_down", False):
                categories = by_characteristic.get(form.instance.characteristic_id, {})
                form.breakdown_rows = list(categories.items())
                form.breakdown_id = self.rows_id

    def failures(self, content, section):
        rows = self.rows(content)
        if not rows:
            return []
        failures = []
        page_rows = {row.pk: index for index, row in enumerate(self.page_rows(content))}
        for rating in rows:
            name = rating.subgroup.name
            index = page_rows[rating.pk]

            def fail(message: str, field: str, index=index, rating=rating) -> None:
                failures.append(self.failure(section, message, field, index, rating))

            if rating.relevant is None:
                fail(f"Say whether the activity could affect the {name} group", "relevant")
            elif not rating.relevant:
                if not rating.not_relevant_reason.strip():
                    fail(f"Say in a line why the {name} group is not relevant", "not_relevant_reason")
            else:
                if not rating.impact:
                    fail(f"Choose the likely impact on the {name} group", "impact")
                if not rating.evidence.strip():
                    fail(f"Give the evidence for the impact on the {name} group", "evidence")
        return failures

    def page_rows(self, content) -> list:
        """The rows in the order of the section page's formset (``page_queryset``)."""
        offered = breakdowns_offered(content)
        if not offered:
            return []
        return [row for row in content.subgroup_ratings if row.subgroup.characteristic_id in offered]

    def table(self, content) -> SummaryTable | None:
        rows = self.rows(content)
        if not rows:
            return None  # no breakdown in use: nothing to show
        characteristics = content.template.characteristics_by_id()
        used = {row.subgroup.characteristic_id for row in rows}
        caption = " and ".join(
            f"Impact on {characteristics[pk].name.lower()} by the {characteristics[pk].breakdown}"
            for pk in characteristics
            if pk in used
        )
        return SummaryTable(caption, list(self.headers), self.table_rows(content), self.rows_id)

    def table_rows(self, content):
        return [
            [r.subgroup.name, r.subgroup.category]
            + (
                [f"Not relevant: {text(r.not_relevant_reason)}", ""]
                if r.relevant is False
                else [label(content, Scale.IMPACT, r.impact), text(r.evidence)]
            )
            for r in self.rows(content)
        ]

    def describe(self, record, reader):
        return f"Impact on {reader.subgroups.get(record.subgroup_id, 'a finer group')}"

    def match_key(self, row):
        return row.subgroup.key

    def lost_message(self, row):
        return f"The impact rating for {row.subgroup.name}: the group is not in the current framework."
