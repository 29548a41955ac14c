"""Multi-factor sign-in: an authenticator app's time-based codes (TOTP), and recovery codes.

Built on django-otp. Approvers and Admins must give a code after their password (they sign off
and manage people); everyone else may set it up on the Account security page, and is then asked
for a code too. ``policy`` says who must give what, ``middleware`` holds a session to it,
``services`` makes and checks devices, ``views`` are the pages.
"""
