"""How stored answers and rows read on the page: labels from the framework version."""

from datetime import date

from django.utils.formats import date_format

from assessments.selectors import AssessmentContent
from frameworks.models import Question
from frameworks.scales import Scale

NOT_ANSWERED = "Not answered"


def answer_text(content: AssessmentContent, question: Question, value) -> str:
    if value in (None, "", []):
        return NOT_ANSWERED
    if question.type == Question.Type.YES_NO:
        return "Yes" if value else "No"
    if question.type == Question.Type.DATE:
        return date_format(date.fromisoformat(value), "j F Y")
    if question.type in (Question.Type.CHOICE, Question.Type.MULTIPLE_CHOICE):
        labels = option_labels(content, question)
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(item, item) for item in values)
    return str(value)


def option_labels(content: AssessmentContent, question: Question) -> dict[str, str]:
    return version_option_labels(content.version, question)


def version_option_labels(version, question: Question) -> dict[str, str]:
    """``{key: label}`` of the answers a choice question offers, in a framework version."""
    if question.options_from == Question.OptionsFrom.LEVELS:
        return {level.key: level.name for level in version.levels.all()}
    if question.options_from == Question.OptionsFrom.DECISIONS:
        return version.labels(Scale.DECISION)
    return {key: key.replace("_", " ").capitalize() for key in question.options}


def yes_no(value) -> str:
    if value is None:
        return NOT_ANSWERED
    return "Yes" if value else "No"


def label(content: AssessmentContent, scale: Scale, key: str) -> str:
    if not key:
        return NOT_ANSWERED
    return content.version.label_for(scale, key)


def combination_name(combination) -> str:
    """A combination of characteristics by the name its author gave it (its description), or by
    the characteristics it combines."""
    if combination.description.strip():
        return combination.description.strip()
    names = [c.name for c in combination.characteristic_list]
    return " and ".join(names) if names else "A combination not yet described"
