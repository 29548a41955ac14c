"""Keys that the product's rules depend on, fixed in code.

A framework version supplies the wording (labels) of these keys, so admins can reword them,
but never the keys themselves: "every negative or unknown impact needs an action" only
works if ``negative`` and ``unknown`` mean the same thing in every version. An imported
framework file whose keys differ from these is refused.

The labels given here are fallbacks for code that has no version at hand; pages should show
the version's own labels (``FrameworkVersion.labels(scale)``).
"""

from django.db import models


class Impact(models.TextChoices):
    SIGNIFICANT_POSITIVE = "significant_positive", "Significant positive"
    POSITIVE = "positive", "Some positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Some negative"
    SIGNIFICANT_NEGATIVE = "significant_negative", "Significant negative"
    UNKNOWN = "unknown", "Unknown"


class EvidenceConfidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NONE = "none", "No evidence"


class PrincipleAlignmentLevel(models.TextChoices):
    NOT_CONSIDERED = "not_considered", "Not yet considered"
    EMERGING = "emerging", "Emerging"
    ESTABLISHED = "established", "Established"
    LEADING = "leading", "Leading"


class ParticipationLevel(models.TextChoices):
    """A ladder of involvement, lowest first."""

    NONE_YET = "none_yet", "None yet"
    INFORMED = "informed", "Informed"
    CONSULTED = "consulted", "Consulted"
    INVOLVED = "involved", "Involved"
    CO_PRODUCED = "co_produced", "Co-produced"
    COMMUNITY_LED = "community_led", "Community-led"


class DutyContributionLevel(models.TextChoices):
    WILL = "will", "Will contribute"
    MAY = "may", "May contribute"
    UNCERTAIN = "uncertain", "Uncertain"
    WILL_NOT = "will_not", "Will not contribute"


class PsedAim(models.TextChoices):
    """The three aims of the Public Sector Equality Duty (Equality Act 2010, s.149(1))."""

    ELIMINATE_DISCRIMINATION = "eliminate_discrimination", "Eliminate discrimination"
    ADVANCE_EQUALITY = "advance_equality", "Advance equality of opportunity"
    FOSTER_GOOD_RELATIONS = "foster_good_relations", "Foster good relations"


class Decision(models.TextChoices):
    NO_MAJOR_CHANGE = "no_major_change", "No major change needed"
    ADJUST = "adjust", "Adjust the activity"
    CONTINUE_WITH_JUSTIFICATION = "continue_with_justification", "Continue with justification"
    STOP = "stop", "Stop and rethink"


class ActivityType(models.TextChoices):
    POLICY = "policy", "Policy"
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"
    FUND_ROUND = "fund_round", "Fund round"
    CAMPAIGN = "campaign", "Campaign"
    CRISIS_RESPONSE = "crisis_response", "Crisis response"
    RESEARCH = "research", "Research"
    TRAINING = "training", "Training"
    EVENT = "event", "Event"
    SERVICE = "service", "Service"
    WORKFORCE = "workforce", "Workforce"


class Requirement(models.TextChoices):
    """What a scale option obliges an assessment to add (the ``requires`` list of an option)."""

    ACTION = "action", "An action in the action plan"
    JUSTIFICATION = "justification", "An objective justification"
    EVIDENCE_ACTION = "evidence_action", "An action to fill the evidence gap"


class StructuredPart(models.TextChoices):
    """The structured part of the assessment a template section holds, beyond its questions."""

    PARTICIPATION_LOG = "participation_log", "Participation log"
    IMPACT_GRID = "impact_grid", "Impact grid"
    INTERSECTIONAL_IMPACTS = "intersectional_impacts", "Intersectional impacts"
    PRINCIPLE_ALIGNMENT = "principle_alignment", "Principle alignment"
    DUTY_CONTRIBUTIONS = "duty_contributions", "Duty contributions"
    ACTION_PLAN = "action_plan", "Action plan"


class Scale(models.TextChoices):
    """The sets of fixed keys whose labels a framework version supplies."""

    IMPACT = "impact", "Impact"
    EVIDENCE_CONFIDENCE = "evidence_confidence", "Evidence confidence"
    PRINCIPLE_ALIGNMENT = "principle_alignment", "Principle alignment"
    PARTICIPATION = "participation", "Participation ladder"
    DUTY_CONTRIBUTION = "duty_contribution", "Duty contribution"
    PSED_AIM = "psed_aims", "Public Sector Equality Duty aims"
    DECISION = "decisions", "Decisions"
    ACTIVITY_TYPE = "activity_types", "Activity types"


SCALE_KEYS: dict[Scale, type[models.TextChoices]] = {
    Scale.IMPACT: Impact,
    Scale.EVIDENCE_CONFIDENCE: EvidenceConfidence,
    Scale.PRINCIPLE_ALIGNMENT: PrincipleAlignmentLevel,
    Scale.PARTICIPATION: ParticipationLevel,
    Scale.DUTY_CONTRIBUTION: DutyContributionLevel,
    Scale.PSED_AIM: PsedAim,
    Scale.DECISION: Decision,
    Scale.ACTIVITY_TYPE: ActivityType,
}

_SCALE_BY_CHOICES = {choices: scale for scale, choices in SCALE_KEYS.items()}


def scale_of(scale: "Scale | str | type[models.TextChoices]") -> Scale:
    """The Scale for a scale name, a Scale, or one of the key classes above (``Impact``)."""
    if isinstance(scale, type) and scale in _SCALE_BY_CHOICES:
        return _SCALE_BY_CHOICES[scale]
    try:
        return Scale(scale)
    except ValueError:
        raise ValueError(f"{scale!r} is not a scale; expected one of {', '.join(Scale.values)}.") from None


def code_keys(scale: "Scale | str | type[models.TextChoices]") -> list[str]:
    """The keys the code fixes for a scale, in the code's order."""
    return list(SCALE_KEYS[scale_of(scale)].values)
