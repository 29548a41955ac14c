"""How other apps hear of outcome reviews without this app importing them."""

from django.dispatch import Signal

# Sent once an outcome review's sign-off has committed, with ``review``.
# Receivers: publication.receivers.register_changed_on_outcome_review (the register's cached
# pages show the signed-off review from now on).
outcome_review_signed_off = Signal()
