"""Background work of the project package, through Django's Tasks API."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, recipients: list[str]) -> int:
    """Every email the service sends, in the background: about an account, about someone's work
    (a review, board feedback, a response, a digest), or to a member of the public."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


@task()
def send_password_reset_link(*, email: str) -> None:
    """Email a link to choose a new password to each active account with this address.

    Sent in the background: the page that asked answers as fast for an unknown address.
    """
    from thrive_edi.forms import ResetRequestForm

    form = ResetRequestForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.send_links(domain=site.netloc, use_https=site.scheme == "https")
