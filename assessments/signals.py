"""The only ways other apps extend assessments, without this app importing them.

Who listens, and when their code runs (inside the sign-off's transaction or after it), is
written in ``assessments.lifecycle``'s docstring.
"""

from django.dispatch import Signal

# Sent after the sign-off's transaction commits, with ``assessment`` and ``snapshot``.
# The reporting app listens to it (to render the PDF) without assessments importing reporting.
assessment_signed_off = Signal()

# Sent inside the sign-off's transaction, once ``assessment`` is signed off and the version it
# supersedes (``superseded``, or None) is marked so: what receivers write commits or rolls
# back with the sign-off.
assessment_signing_off = Signal()

# Sent once an action's follow-up has committed, with ``action``. Receivers:
# publication.receivers.register_changed_on_action_follow_up (a published summary shows each
# action's date and progress).
action_followed_up = Signal()

# Sent after published assessments were written in bulk, around the sign-off (seeding): what
# receivers derive from published assessments is to be worked out again.
published_assessments_loaded = Signal()

# Sent while an assessment's page is made, with ``request`` and ``assessment``: each receiver
# returns a panel of safe HTML for the page, or None.
assessment_page_panels = Signal()

# Sent by the sign-off page with ``assessment``, ``user`` and ``data`` (the posted data, or None):
# each receiver returns a form the approver fills in beside the declaration, or None. The form
# renders with its ``template_name``; once every form is valid, the sign-off calls each form's
# ``apply(assessment=..., user=...)`` inside its transaction, after the assessment is signed off,
# so a ValidationError it raises undoes the sign-off.
sign_off_forms_requested = Signal()

# Sent inside the sign-off's transaction, before the snapshot is written, with ``assessment``:
# each receiver returns a list of what the signed snapshot carries over from earlier versions
# (under "feedback"), part of what its fingerprint seals.
snapshot_extras_requested = Signal()
# Sent by the assessment's page with ``assessment`` and ``user``; each receiver returns a list of
# (when, what, who, note) entries that join the page's timeline.
# Receivers: publication.receivers.timeline_entries (publication and moderation) and
# outcomes.receivers.timeline_entries (the outcome review).
timeline_requested = Signal()

# Sent inside a re-assessment's transaction, once the new draft holds the copied content, with
# ``previous`` (the signed-off version), ``assessment`` (the new draft) and ``user``.
reassessment_started = Signal()

# Sent by ``assessments.reminders.reminders_send`` with ``today``: each receiver sends the
# reminders its app keeps, never twice, and returns how many it sent.
reminders_requested = Signal()
