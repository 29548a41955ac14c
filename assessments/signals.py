from django.dispatch import Signal

# Sent after the sign-off's transaction commits, with ``assessment`` and ``snapshot``.
# The reporting app listens to it (to render the PDF) without assessments importing reporting.
assessment_signed_off = Signal()

# Sent inside the sign-off's transaction, once ``assessment`` is signed off and the version it
# supersedes (``superseded``, or None) is marked so: what receivers write commits or rolls
# back with the sign-off.
assessment_signing_off = Signal()

# Sent after published assessments were written in bulk, around the sign-off (seeding): what
# receivers derive from published assessments is to be worked out again.
published_assessments_loaded = Signal()

# Sent by the assessment's page with ``assessment`` and ``user``; each receiver returns a list of
# (when, what, who, note) entries that join the page's timeline.
# Receivers: publication.receivers.timeline_entries (publication and moderation).
timeline_requested = Signal()
