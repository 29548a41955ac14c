"""An assessment's life: the task list of sections, approver review, sign-off and its
snapshot, re-assessment and the follow-up of actions.

Glossary (one word per meaning; code and pages use these words):

- **assessment**: one version of an equality impact assessment (``Assessment``), known by its
  reference (``EIA-2026-0001``) and version number.
- **framework template**: the framework version an assessment is written against, as its
  pages read it (``selectors.FrameworkTemplate``): its sections, questions and scales. Not an
  HTML template.
- **section**: one page of the task list (``frameworks.Section``). A section holds questions,
  or one **structured section** kind (``frameworks.scales.StructuredPart``: the impact grid,
  combinations, principles, duties, participation log or action plan).
- **rows**: what an assessment records in a structured section (``ImpactRating``,
  ``IntersectionalImpact``, ...); **content** is the answers and all rows
  (``selectors.AssessmentContent``, read a kind of rows at a time).
- "part" has no meaning of its own: ``StructuredPart`` names a structured section kind,
  ``AssessmentContent.part`` a kind of rows, and a section page's ``...Part`` form classes
  the pieces of that page's form.
- **approver review**: an approver reads an assessment in review, comments on it, requests
  changes or signs it off (``Act.REVIEW``, ``Act.SIGN_OFF``; the status ``in_review``).
- **review date**: the date by which a signed-off assessment is to be looked at again
  (``Assessment.review_date``; the "review due" reminders). Not an approver review.
- **re-assessment**: a new version (n+1) of a signed-off assessment, started as a draft with
  its content copied (``lifecycle.assessment_reassess``); its sign-off supersedes version n.
- **frozen**: signed off or superseded (``Assessment.FROZEN_STATUSES``): the content never
  changes again, and it is what the Advisory Board and admins read (the published record).
- **snapshot**: the canonical JSON of a frozen assessment and its SHA-256 fingerprint.
- **duty contribution**: a row saying how the activity contributes to one aim of the public
  sector equality duty (the model ``DutyContribution``); its **level** is a choice of the
  scale ``frameworks.scales.DutyContributionLevel`` ("Will contribute", ...).
- **action**: a row of the action plan (``Action``), followed up after sign-off too.
- **act**: something a person may be allowed to do to an assessment (``permissions.Act``);
  each has one rule and one message per reason it refuses (``refusals.Refused``).
"""
