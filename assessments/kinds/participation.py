"""The participation log: who took part, how and when; rows users add."""

from assessments.display import label, yes_no
from assessments.forms import ParticipationFormSet
from assessments.kinds.base import RowKind, day, text
from assessments.models import ParticipationEntry
from frameworks.scales import Scale, StructuredPart


class ParticipationKind(RowKind):
    structured = StructuredPart.PARTICIPATION_LOG
    model = ParticipationEntry
    formset_class = ParticipationFormSet
    prefix = "participation"
    content_attr = "participation"
    history_label = "Participation entry"
    caption = "Participation log"
    headers = ("Who", "How", "When", "Level", "Paid", "What changed")
    column_widths = (20, 15, 15, 15, 10, 25)
    adds_rows = True
    add_label = "Add an entry"
    scales = {"level": Scale.PARTICIPATION}

    def failures(self, content, section):
        rows = self.rows(content)
        if not rows:
            return [self.failure(section, "Add at least one entry to the participation log")]
        checks = [
            ("who", "Say who took part"),
            ("how", "Say how they took part"),
            ("level", "Choose the level of involvement"),
            ("when", "Enter when they took part"),
            ("paid", "Say whether they were paid"),
        ]
        return self.row_failures(
            section,
            rows,
            [
                (
                    field,
                    # A date or a yes/no is missing only when unset; text and choices when empty.
                    lambda row, field=field: getattr(row, field) in (None, ""),
                    lambda i, row, message=message: f"{message} (entry {i + 1})",
                )
                for field, message in checks
            ],
        )

    def table_rows(self, content):
        return [
            [
                text(e.who),
                text(e.how),
                day(e.when),
                label(content, Scale.PARTICIPATION, e.level),
                yes_no(e.paid),
                text(e.what_changed),
            ]
            for e in self.rows(content)
        ]
