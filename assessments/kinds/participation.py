"""The participation log: who took part, how and when; rows users add."""

from assessments.display import label, yes_no
from assessments.forms import ParticipationFormSet
from assessments.kinds.base import NoneAppliesChoice, RowKind, day, text
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
    none_applies = NoneAppliesChoice(
        label="No one has taken part yet",
        reason_label="Why has no one taken part yet, and who will?",
        summary="No participation yet",
        missing="Add at least one entry to the participation log, or say that no one has taken part yet",
        missing_reason="Say why no one has taken part yet",
        rows_too="You said no one has taken part yet: remove the entries, or untick the box",
        asks_when=True,
        when_label="When will people take part",
        missing_when="Enter when people will take part",
        action_issue="No one affected by the activity has taken part in the assessment yet.",
        action_text="Involve the people affected and record their participation in the log.",
        action_measure="The participation log names who took part, how, and what changed because of them.",
    )

    def failures(self, content, section):
        rows = self.rows(content)
        chosen = self.none_applies_failures(content, section, rows)
        if chosen is not None:
            return chosen
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
