"""How other apps add to the Pledge progress report without this app importing them.

Each is sent while the report is drafted from the record (never once it is signed off: the
signed report keeps what it said), with ``period`` (a ``pledges.periods.FinancialYear``) and
``assessment_ids`` (every assessment linked to a commitment of the report, whenever it was
signed off).

Where nobody answers one, the report shows that the part is not recorded rather than a zero.
"""

from django.dispatch import Signal

# Outcome reviews signed off in the period. Each receiver returns a list of dicts:
# ``{"assessment_id": int, "part": "outcomes" | "challenges" | "sustainability", "text": str}``
# (``"url"`` optional: a link to the review). Receivers: pledges.receivers.outcomes_for_report
# (from ``outcomes.selectors.signed_off_reviews``).
pledge_outcomes_requested = Signal()

# Figures the report counts per assessment that live in other apps (screenings signed off in the
# period...). Each receiver returns a list of dicts: ``{"key": str, "label": str,
# "by_assessment": {assessment_id: int}}``; the report adds them up per commitment.
# Receivers: pledges.receivers.screenings_for_report (screenings signed off in the period, from
# ``assessments.selectors.screenings_signed_off``).
pledge_figures_requested = Signal()

# Tables of the whole report (assessments by borough, from the geography selector). Each receiver
# returns a list of dicts: ``{"slug": str, "title": str, "row_header": str,
# "rows": [(label, count), ...]}``; each is drawn as a bar chart above its table.
# Receivers: pledges.receivers.places_for_report (assessments signed off, by where the activity
# takes place) and pledges.receivers.screening_places_for_report (screenings signed off, likewise).
pledge_tables_requested = Signal()

# Sent once a signed report is published on the public register (after the transaction commits),
# with ``report``. Receivers: publication.receivers.register_changed_on_pledge_report (the
# register's cached pages list it from now on).
pledge_report_published = Signal()
