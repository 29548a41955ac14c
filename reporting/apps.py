from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and the Advisory Board"

    def ready(self) -> None:
        from assessments.fragments import app_part_changed_on_write
        from assessments.signals import (
            assessment_page_panels,
            assessment_signed_off,
            assessment_signing_off,
            published_assessments_loaded,
            snapshot_extras_requested,
        )
        from reporting import receivers, waiting
        from reporting.models import BoardFeedback
        from thrive_edi.signals import home_page_shown, metrics_collected, personal_data_requested

        assessment_signed_off.connect(
            receivers.render_on_sign_off, dispatch_uid="reporting.render_on_sign_off"
        )
        assessment_signing_off.connect(
            receivers.count_on_sign_off, dispatch_uid="reporting.count_on_sign_off"
        )
        published_assessments_loaded.connect(
            receivers.recount_after_loading, dispatch_uid="reporting.recount_after_loading"
        )
        post_migrate.connect(receivers.count_portfolio_once, sender=self, dispatch_uid="reporting.count_once")
        personal_data_requested.connect(receivers.personal_data, dispatch_uid="reporting.personal_data")
        home_page_shown.connect(waiting.staff_feedback, dispatch_uid="reporting.staff_feedback")
        home_page_shown.connect(waiting.board_news, dispatch_uid="reporting.board_news")
        assessment_page_panels.connect(receivers.board_panel, dispatch_uid="reporting.board_panel")
        app_part_changed_on_write("reporting", BoardFeedback)  # the board panel's feedback
        snapshot_extras_requested.connect(
            receivers.feedback_in_snapshot, dispatch_uid="reporting.feedback_in_snapshot"
        )
        metrics_collected.connect(receivers.pdf_metrics, dispatch_uid="reporting.pdf_metrics")
