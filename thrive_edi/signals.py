from django.dispatch import Signal

# Sent by the home page with ``request``; each receiver returns a dict the page's context is
# updated with, so that a role's section of the page can show what waits in another app.
# Receivers: assessments.receivers.review_queue (an approver's queue and screenings to confirm),
# assessments.waiting.staff_waiting (returned assessments and screenings, comments, actions due),
# reporting.waiting.staff_feedback (board feedback to respond to), reporting.waiting.board_news
# (new since the last visit) and outcomes.receivers.reviews_due_home (outcome reviews due, and
# waiting for sign-off).
home_page_shown = Signal()

# Sent by thrive_edi.personal_data with ``user`` when everything held about a person is
# exported; each receiver returns a dict of JSON-ready parts its app holds about them, merged
# into the export. Receivers: assessments.receivers.personal_data, reporting.receivers.personal_data,
# outcomes.receivers.personal_data, pledges.receivers.personal_data.
personal_data_requested = Signal()

# Sent by thrive_edi.personal_data with ``now`` when the retention periods are applied; each
# receiver removes what its app keeps past its period and returns {what it removed: how many}.
# An app that collects community feedback contact details clears them here, after
# settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS.
retention_due = Signal()

# Sent by thrive_edi.metrics at each scrape of /metrics; each receiver returns a list of
# prometheus_client metric families its app reports, read from the database then.
# Receivers: reporting.receivers.pdf_metrics (PDFs by state).
metrics_collected = Signal()

# Sent by thrive_edi.personal_data, once a person's account has been pseudonymised, with
# ``user``: each receiver forgets what it keeps rendered with their old name.
# Receivers: assessments.receivers.forget_rendered_names (the signed-off pages' cached parts).
personal_data_erased = Signal()
