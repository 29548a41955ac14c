from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Equality impact assessments"

    def ready(self) -> None:
        from assessments import receivers, search, waiting
        from thrive_edi.signals import home_page_shown, personal_data_erased, personal_data_requested

        home_page_shown.connect(receivers.review_queue, dispatch_uid="assessments.review_queue")
        home_page_shown.connect(waiting.staff_waiting, dispatch_uid="assessments.staff_waiting")
        personal_data_requested.connect(receivers.personal_data, dispatch_uid="assessments.personal_data")
        personal_data_erased.connect(receivers.forget_rendered_names, dispatch_uid="assessments.forget_names")
        post_save.connect(
            receivers.forget_names_on_rename,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="assessments.renamed",
        )
        from assessments.models import Assessment

        post_save.connect(
            receivers.owners_changed, sender=Assessment, dispatch_uid="assessments.owners.saved"
        )
        post_delete.connect(
            receivers.owners_changed, sender=Assessment, dispatch_uid="assessments.owners.deleted"
        )
        search.connect_receivers()
