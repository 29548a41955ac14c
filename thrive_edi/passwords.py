"""Password rules beyond Django's own (length, common passwords, all digits, similarity to
the person's details): a password may not hold the person's name, username or email, the
service's name, or a run of repeated or sequential characters. Listed in
``AUTH_PASSWORD_VALIDATORS``, so that every form and command that sets a password applies them."""

from itertools import pairwise

from django.core.exceptions import ValidationError

PERSONAL_MESSAGE = "Your password must not contain your name, username or email address."
SERVICE_NAME_MESSAGE = "Your password must not contain the name of this service, Thrive."
RUN_MESSAGE = (
    "Your password must not contain 4 or more repeated or sequential characters, "
    "such as “aaaa”, “1234” or “abcd”."
)

# Characters people put in place of letters ("thr1ve", "0kaf0r").
_LOOKALIKES = str.maketrans("0134578@$!|", "oieastbasil")


def _letters(text: str) -> str:
    """Lower case, lookalikes read as the letter they stand for, only letters and digits kept."""
    return "".join(char for char in text.lower().translate(_LOOKALIKES) if char.isalnum())


class PersonalInformationValidator:
    """Refuses a password that holds the person's username, first or last name, or the part of
    their email address before the @, or any word of these of at least ``min_part_length``
    characters. Django's similarity validator catches passwords close to these; this catches
    a name inside a longer password ("okafor-rides-the-bus")."""

    def __init__(self, min_part_length: int = 4):
        self.min_part_length = min_part_length

    def _parts(self, user) -> set[str]:
        texts = [
            user.get_username(),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            (getattr(user, "email", "") or "").partition("@")[0],
        ]
        parts = set()
        for text in filter(None, texts):
            words = "".join(char if char.isalnum() else " " for char in text).split()
            parts.update(_letters(piece) for piece in [text, *words])
        return {part for part in parts if len(part) >= self.min_part_length}

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        letters = _letters(password)
        if any(part in letters for part in self._parts(user)):
            raise ValidationError(PERSONAL_MESSAGE, code="password_has_personal_information")

    def get_help_text(self) -> str:
        return PERSONAL_MESSAGE


class ServiceNameValidator:
    """Refuses a password that holds the service's name in any case, spacing or lookalikes
    ("Thrive EDI", "thriveldn", "THR1VE")."""

    def __init__(self, names: tuple[str, ...] = ("thrive",)):
        self.names = tuple(_letters(name) for name in names)

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        if any(name in letters for name in self.names):
            raise ValidationError(SERVICE_NAME_MESSAGE, code="password_has_service_name")

    def get_help_text(self) -> str:
        return SERVICE_NAME_MESSAGE


class RepeatedOrSequentialCharactersValidator:
    """Refuses a run of ``run_length`` or more characters that repeat ("aaaa", "!!!!") or go up
    or down one by one ("1234", "abcd", "9876"). Shorter runs are common in words and dates."""

    def __init__(self, run_length: int = 4):
        self.run_length = run_length

    def _has_run(self, password: str) -> bool:
        text = password.lower()
        for start in range(len(text) - self.run_length + 1):
            window = text[start : start + self.run_length]
            steps = {ord(b) - ord(a) for a, b in pairwise(window)}
            if steps == {0}:
                return True
            same_kind = window.isdigit() or (window.isascii() and window.isalpha())
            if same_kind and steps in ({1}, {-1}):
                return True
        return False

    def validate(self, password: str, user=None) -> None:
        if self._has_run(password):
            raise ValidationError(RUN_MESSAGE, code="password_has_a_run")

    def get_help_text(self) -> str:
        return RUN_MESSAGE
