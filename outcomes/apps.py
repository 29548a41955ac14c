from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcome reviews"

    def ready(self) -> None:
        from assessments.signals import (
            assessment_page_panels,
            assessment_signing_off,
            reassessment_started,
            reminders_requested,
            sign_off_forms_requested,
            timeline_requested,
        )
        from outcomes import receivers
        from thrive_edi.signals import home_page_shown, personal_data_requested

        sign_off_forms_requested.connect(receivers.outcome_due_form, dispatch_uid="outcomes.sign_off_due")
        assessment_signing_off.connect(receivers.schedule_on_sign_off, dispatch_uid="outcomes.schedule")
        reassessment_started.connect(receivers.outcomes_as_evidence, dispatch_uid="outcomes.as_evidence")
        reminders_requested.connect(receivers.send_reminders, dispatch_uid="outcomes.reminders")
        assessment_page_panels.connect(receivers.outcome_panel, dispatch_uid="outcomes.panel")
        timeline_requested.connect(receivers.timeline_entries, dispatch_uid="outcomes.timeline")
        home_page_shown.connect(receivers.reviews_due_home, dispatch_uid="outcomes.home")
        personal_data_requested.connect(receivers.personal_data, dispatch_uid="outcomes.personal_data")
