from django.dispatch import Signal

# Sent after the sign-off's transaction commits, with ``assessment`` and ``snapshot``.
# The reporting app listens to it (to render the PDF) without assessments importing reporting.
assessment_signed_off = Signal()
