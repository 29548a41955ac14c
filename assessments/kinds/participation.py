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
        failures = []
        for index, entry in enumerate(rows):
            missing = [
                (field, message)
                for field, message in (
                    ("who", "Say who took part"),
                    ("how", "Say how they took part"),
                    ("level", "Choose the level of involvement"),
                )
                if not getattr(entry, field)
            ]
            if entry.when is None:
                missing.append(("when", "Enter when they took part"))
            if entry.paid is None:
                missing.append(("paid", "Say whether they were paid"))
            failures += [
                self.failure(section, f"{message} (entry {index + 1})", field, index, entry)
                for field, message in missing
            ]
        return failures

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
