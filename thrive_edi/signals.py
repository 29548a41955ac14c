from django.dispatch import Signal

# Sent by the home page with ``request``; each receiver returns a dict the page's context is
# updated with, so that a role's section of the page can show what waits in another app.
# Receivers: assessments.receivers.review_queue (an approver's queue).
home_page_shown = Signal()
