from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Public register"

    def ready(self) -> None:
        from assessments.signals import (
            action_followed_up,
            assessment_page_panels,
            assessment_signed_off,
            published_assessments_loaded,
            sign_off_forms_requested,
            timeline_requested,
        )
        from outcomes.signals import outcome_review_signed_off
        from pledges.signals import pledge_report_published
        from publication import receivers
        from thrive_edi.signals import retention_due

        assessment_signed_off.connect(
            receivers.register_changed_on_sign_off, dispatch_uid="publication.sign_off"
        )
        action_followed_up.connect(
            receivers.register_changed_on_action_follow_up, dispatch_uid="publication.action_follow_up"
        )
        published_assessments_loaded.connect(
            receivers.register_changed_on_loading, dispatch_uid="publication.loaded"
        )
        sign_off_forms_requested.connect(
            receivers.publication_decision_form, dispatch_uid="publication.sign_off_decision"
        )
        timeline_requested.connect(receivers.timeline_entries, dispatch_uid="publication.timeline")
        receivers.publication_rows_changed()
        retention_due.connect(receivers.remove_old_contact_details, dispatch_uid="publication.retention")
        assessment_page_panels.connect(receivers.publication_panel, dispatch_uid="publication.panel")
        outcome_review_signed_off.connect(
            receivers.register_changed_on_outcome_review, dispatch_uid="publication.outcome_review"
        )
        pledge_report_published.connect(
            receivers.register_changed_on_pledge_report, dispatch_uid="publication.pledge_report"
        )
