from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting and the Advisory Board"

    def ready(self) -> None:
        from assessments import lifecycle, panels
        from assessments.signals import assessment_signed_off
        from reporting import receivers, services

        assessment_signed_off.connect(
            receivers.render_on_sign_off, dispatch_uid="reporting.render_on_sign_off"
        )
        panels.register(receivers.board_panel)
        if services.feedback_for_snapshot not in lifecycle.SNAPSHOT_EXTRA_PROVIDERS:
            lifecycle.SNAPSHOT_EXTRA_PROVIDERS.append(services.feedback_for_snapshot)
