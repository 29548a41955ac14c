from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges and the Pledge progress report"

    def ready(self) -> None:
        from assessments.signals import assessment_page_panels
        from pledges import receivers
        from pledges.signals import (
            pledge_figures_requested,
            pledge_outcomes_requested,
            pledge_tables_requested,
        )
        from thrive_edi.signals import personal_data_requested

        assessment_page_panels.connect(receivers.commitments_panel, dispatch_uid="pledges.commitments_panel")
        pledge_outcomes_requested.connect(receivers.outcomes_for_report, dispatch_uid="pledges.outcomes")
        pledge_figures_requested.connect(receivers.screenings_for_report, dispatch_uid="pledges.screenings")
        pledge_tables_requested.connect(receivers.places_for_report, dispatch_uid="pledges.places")
        pledge_tables_requested.connect(
            receivers.screening_places_for_report, dispatch_uid="pledges.screening_places"
        )
        personal_data_requested.connect(receivers.personal_data, dispatch_uid="pledges.personal_data")
