"""Multi-factor sign-in: who must give a second factor, enrolment, codes, recovery codes."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.tests.factories import fill_assessment, make_assessment
from thrive_edi.demo import DEMO_PASSWORD, demo_users_load
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import authenticator_for, code_for, code_for_base32
from thrive_edi.two_factor.forms import NO_CODE, TOO_MANY_TRIES, WRONG_CODE
from thrive_edi.two_factor.services import RECOVERY_CODE_COUNT, recovery_codes_make

pytestmark = pytest.mark.django_db

SET_UP, VERIFY = reverse("account:set_up"), reverse("account:verify")


def sign_in_with_password(client, user, password=TEST_PASSWORD):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, "the password was refused"
    assert client.session["_auth_user_id"] == str(user.pk)
    return response


def enter_code(client, code, next_url=""):
    return client.post(VERIFY, {"code": code, "next": next_url})


def security_events(caplog, name):
    return [record for record in caplog.records if getattr(record, "event", None) == name]


@pytest.fixture
def in_review(staff_user, django_capture_on_commit_callbacks):
    from assessments import services

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=staff_user)
    return assessment


def review_pages(assessment):
    return [
        reverse("assessments:review", args=[assessment.reference]),
        reverse("assessments:sign_off", args=[assessment.reference]),
        reverse("assessments:request_changes", args=[assessment.reference]),
    ]


# Approvers and admins.


def test_an_approver_without_a_device_is_taken_to_set_up_and_reaches_no_review_page(
    client, approver_user, in_review
):
    sign_in_with_password(client, approver_user)
    for url in [reverse("home"), *review_pages(in_review)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{SET_UP}?next={url}", url
    response = client.post(reverse("assessments:sign_off", args=[in_review.reference]), {"declaration": "on"})
    assert response.status_code == 302 and response.url.startswith(SET_UP)
    in_review.refresh_from_db()
    assert in_review.status == "in_review"


def test_an_approver_with_a_device_must_enter_a_code_before_the_review_pages(
    client, approver_user, in_review
):
    device = authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    for url in review_pages(in_review):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"{VERIFY}?next="), url
    # Enrolling again would get round the code: it is not open until the code is given.
    assert client.get(SET_UP).url.startswith(VERIFY)

    response = enter_code(client, code_for(device), next_url=review_pages(in_review)[0])
    assert response.status_code == 302
    assert response.url == review_pages(in_review)[0]
    for url in review_pages(in_review):
        assert client.get(url).status_code == 200, url


def test_an_admin_reaches_django_admin_only_after_the_code(client, admin_user_with_role):
    device = authenticator_for(admin_user_with_role)
    sign_in_with_password(client, admin_user_with_role)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    enter_code(client, code_for(device))
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_itself_refuses_an_admin_whose_session_has_no_second_factor(admin_user_with_role):
    request = RequestFactory().get("/admin/")
    request.user, request.session = admin_user_with_role, {}
    request = OTPMiddleware(lambda request: request)(request)
    assert not request.user.is_verified()
    assert not admin.site.has_permission(request)

    device = authenticator_for(admin_user_with_role)
    request = RequestFactory().get("/admin/")
    request.user, request.session = admin_user_with_role, {DEVICE_ID_SESSION_KEY: device.persistent_id}
    request = OTPMiddleware(lambda request: request)(request)
    assert admin.site.has_permission(request)


def test_the_verified_session_keeps_the_roles_read_with_the_user(client, approver_user, in_review):
    """The project's backend reads group names with the user; the verified user keeps them."""
    device = authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    enter_code(client, code_for(device))
    response = client.get(review_pages(in_review)[0])
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user.is_verified()
    assert user.otp_device == device
    assert user.group_names == "Approver"


def test_a_code_for_another_time_or_a_wrong_code_is_refused_and_audited(client, approver_user, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    device = authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    [failure] = security_events(caplog, "second_factor_failed")
    assert failure.username == approver_user.username
    assert failure.failures == 1


def test_wrong_codes_are_throttled_even_the_right_code_waits(client, approver_user, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    device = authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    for _ in range(3):
        enter_code(client, "000000" if code_for(device) != "000000" else "111111")
    device.refresh_from_db()
    failures = device.throttling_failure_count
    assert failures >= 1
    response = enter_code(client, code_for(device))
    assert response.status_code == 200
    assert TOO_MANY_TRIES.split("{")[0] in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert security_events(caplog, "second_factor_throttled")

    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=2)
    )
    response = enter_code(client, code_for(device))
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert security_events(caplog, "second_factor_verified")


def test_an_empty_code_is_asked_for_again(client, approver_user):
    authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    response = enter_code(client, "  ")
    assert response.status_code == 200
    assert NO_CODE in response.content.decode()


def test_the_code_page_goes_back_only_to_this_site(client, approver_user):
    device = authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    response = enter_code(client, code_for(device), next_url="https://elsewhere.example/")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_an_unverified_session_still_reads_the_public_pages_but_sees_no_menu(client, approver_user):
    authenticator_for(approver_user)
    sign_in_with_password(client, approver_user)
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert page.context["navigation"] == []
    assert reverse("account:security") not in page.content.decode()


def test_an_unverified_session_may_still_sign_out(client, approver_user):
    sign_in_with_password(client, approver_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Enrolment and recovery codes.


def test_enrolment_shows_a_qr_code_and_the_key_and_is_confirmed_with_a_first_code(
    client, approver_user, caplog
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    sign_in_with_password(client, approver_user)
    page = client.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<svg[^>]*role="img"', html), "no QR code drawn"
    key_text = page.context["key_text"]
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", key_text)
    assert key_text in html
    device = TOTPDevice.objects.get(user=approver_user)
    assert not device.confirmed
    # The page shows the same key again on a reload: a phone that scanned it still works.
    assert client.get(SET_UP).context["key_text"] == key_text

    response = client.post(SET_UP, {"code": "123 456" if code_for(device) != "123456" else "654321"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()
    response = client.post(SET_UP, {"code": code_for_base32(key_text, steps_ahead=0)})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert security_events(caplog, "second_factor_enrolled")

    shown = client.get(response.url)
    codes = shown.context["recovery_codes"]
    assert len(codes) == RECOVERY_CODE_COUNT
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=approver_user).values_list("token", flat=True)
    )
    for code in codes:
        assert code in shown.content.decode()
    # Shown once: a second look shows none of them.
    again = client.get(response.url).content.decode()
    assert not any(code in again for code in codes)


def test_recovery_codes_work_once_each(client, approver_user, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    authenticator_for(approver_user)
    first, second, *_ = recovery_codes_make(user=approver_user)

    sign_in_with_password(client, approver_user)
    assert enter_code(client, first).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == StaticDevice.objects.get(user=approver_user).persistent_id
    client.post(reverse("logout"))

    sign_in_with_password(client, approver_user)
    assert enter_code(client, second.upper()).status_code == 302
    client.post(reverse("logout"))

    sign_in_with_password(client, approver_user)
    response = enter_code(client, first)
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert StaticToken.objects.filter(device__user=approver_user).count() == RECOVERY_CODE_COUNT - 2
    [used] = security_events(caplog, "recovery_code_used")[:1]
    assert used.remaining == RECOVERY_CODE_COUNT - 1


def test_new_recovery_codes_replace_the_old_ones(client, approver_user):
    old = recovery_codes_make(user=approver_user)
    client.force_login(approver_user)  # verified with the authenticator, as every test's sign-in
    response = client.post(reverse("account:recovery_codes"))
    assert response.status_code == 302
    new = client.get(response.url).context["recovery_codes"]
    assert len(new) == RECOVERY_CODE_COUNT
    assert not set(old) & set(new)
    assert set(StaticToken.objects.filter(device__user=approver_user).values_list("token", flat=True)) == set(
        new
    )


# Everyone else.


def test_staff_without_a_device_sign_in_with_a_password_only(client, staff_user):
    response = sign_in_with_password(client, staff_user)
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("assessments:list")).status_code == 200
    security = client.get(reverse("account:security"))
    assert security.status_code == 200
    assert "Set up" in security.content.decode()


def test_staff_who_set_it_up_are_asked_for_a_code(client, staff_user):
    sign_in_with_password(client, staff_user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=staff_user)
    assert client.post(SET_UP, {"code": code_for(device)}).status_code == 302
    client.post(reverse("logout"))

    sign_in_with_password(client, staff_user)
    response = client.get(reverse("assessments:list"))
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    enter_code(client, code_for(device))
    assert client.get(reverse("assessments:list")).status_code == 200


def test_staff_may_turn_it_off_again(client, staff_user):
    authenticator_for(staff_user)
    recovery_codes_make(user=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("account:turn_off"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert not StaticDevice.objects.filter(user=staff_user).exists()


def test_approvers_may_not_turn_it_off(client, approver_user):
    client.force_login(approver_user)
    response = client.post(reverse("account:turn_off"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=approver_user, confirmed=True).exists()


# The demo users.


def _demo_approver(settings):
    settings.DEBUG = True
    [approver] = [user for user in demo_users_load() if user.username == "approver"]
    return approver


def test_with_debug_on_the_demo_approver_signs_in_with_the_password_only(client, settings, in_review):
    approver = _demo_approver(settings)
    sign_in_with_password(client, approver, password=DEMO_PASSWORD)
    for url in review_pages(in_review):
        assert client.get(url).status_code == 200, url


def test_with_debug_on_the_demo_admin_enters_django_admin_with_the_password_only(client, settings):
    settings.DEBUG = True
    [admin_user] = [user for user in demo_users_load() if user.username == "admin"]
    sign_in_with_password(client, admin_user, password=DEMO_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.password_only
def test_with_debug_off_the_demo_approver_reaches_no_review_page(client, settings, in_review):
    approver = _demo_approver(settings)
    settings.DEBUG = False
    client.force_login(approver)
    for url in review_pages(in_review):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# Recovery for someone who lost their phone and their recovery codes.


def test_reset_second_factor_removes_the_app_and_codes_and_the_next_sign_in_sets_up_again(
    client, approver_user, caplog
):
    from django.core.management import call_command

    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    authenticator_for(approver_user)
    recovery_codes_make(user=approver_user)
    call_command("reset_second_factor", approver_user.username)
    assert not TOTPDevice.objects.filter(user=approver_user).exists()
    assert not StaticDevice.objects.filter(user=approver_user).exists()
    assert security_events(caplog, "second_factor_reset")[0].username == approver_user.username

    sign_in_with_password(client, approver_user)
    assert client.get(reverse("home")).url.startswith(SET_UP)


def test_reset_second_factor_names_an_unknown_user():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("reset_second_factor", "nobody")
