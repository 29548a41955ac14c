from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and the Advisory Board"

    def ready(self) -> None:
        from assessments import lifecycle, panels
        from assessments.signals import (
            assessment_signed_off,
            assessment_signing_off,
            published_assessments_loaded,
        )
        from reporting import receivers, services
        from thrive_edi.signals import metrics_collected, personal_data_requested

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
        metrics_collected.connect(receivers.pdf_metrics, dispatch_uid="reporting.pdf_metrics")
        panels.register(receivers.board_panel)
        if services.feedback_for_snapshot not in lifecycle.SNAPSHOT_EXTRA_PROVIDERS:
            lifecycle.SNAPSHOT_EXTRA_PROVIDERS.append(services.feedback_for_snapshot)
