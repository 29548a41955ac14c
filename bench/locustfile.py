"""The load test: staff filling in sections, approvers reviewing, board members reading PDFs.

Run by ``bench/run.py`` (headless, bounded in users and time, against 127.0.0.1 only):

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 120s --host http://127.0.0.1:8765

Environment: ``BENCH_PLAN`` (the plan written by ``bench.inside plan``), ``BENCH_PASSWORD``
(the seeded users' password), ``BENCH_SAVES`` (where each save that succeeded is written, one
JSON line each, for ``bench.inside verify`` to find in the database afterwards), and
``BENCH_STAFF``/``BENCH_APPROVERS``/``BENCH_BOARD`` (how many of each to simulate).

Each simulated member of staff edits assessments no other simulated user edits, posting the
revision the page showed, as a browser does: every save must succeed, none may conflict.
"""

import itertools
import json
import os
import re
import secrets
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PLAN = json.load(open(os.environ["BENCH_PLAN"]))  # noqa: SIM115 (read once at import)
PASSWORD = os.environ["BENCH_PASSWORD"]
SAVES = os.environ["BENCH_SAVES"]
SECTIONS = ("about", "evidence", "impacts")
SECOND_FACTOR = "/account/sign-in/code/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Assessments handed out once each: (username, reference).
_staff_work = {entry["username"]: list(entry["assessments"]) for entry in PLAN["load"]["staff"]}
_approvers = itertools.cycle(PLAN["load"]["approvers"])
_boards = itertools.cycle(PLAN["load"]["board"])
_counter = itertools.count(1)


@events.init.add_listener
def _only_loopback(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test runs against this machine only (127.0.0.1), not {host!r}.")


class SectionForm(HTMLParser):
    """The fields of the form holding ``revision``, as a browser would post them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._option: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._fields = []
        elif self._fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._fields.append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None and self._fields:
            name, value = self._fields[-1]
            self._fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea is not None and self._fields:
                name, value = self._fields[-1]
                self._fields[-1] = (name, value.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._fields is not None:
            name, options, selected = self._select
            for value in selected or options[:1]:
                self._fields.append((name, value))
            self._select = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None

    def fields(self) -> list[tuple[str, str]]:
        return next(form for form in self.forms if any(name == "revision" for name, _ in form))


def _stored(response) -> bool:
    """A save or comment was stored: redirected onwards, not to sign in (a session lost or
    short of its second factor is sent to sign in, and nothing is stored)."""
    location = response.headers.get("Location", "")
    return response.status_code == 302 and not location.startswith(("/sign-in/", SECOND_FACTOR))


def _record(save: dict) -> None:
    with open(SAVES, "a") as handle:
        handle.write(json.dumps(save) + "\n")


class SignedIn(HttpUser):
    abstract = True
    username = ""
    recovery_codes: list[str] = []  # for users who sign in with a second factor: one a sign-in
    signed_in = False  # a sign-in that failed (a server lost mid-request) is tried again next task

    def ensure_signed_in(self) -> None:
        if not self.signed_in:
            self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/sign-in/", name="sign in (form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/sign-in/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/sign-in/"},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused for {self.username}: HTTP {response.status_code}")
            elif self.recovery_codes:  # the next page would ask for the code: give it now
                self.give_second_factor()
            else:
                self.signed_in = True

    def give_second_factor(self) -> None:
        page = self.client.get(SECOND_FACTOR, name="sign in (code form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            SECOND_FACTOR,
            data={"code": self.recovery_codes.pop(), "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}{SECOND_FACTOR}"},
            allow_redirects=False,
            name="sign in (code)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code refused for {self.username}: HTTP {response.status_code}")
            else:
                self.signed_in = True

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")


class Staff(SignedIn):
    """Fills in sections of their own assessments over a slow connection: reads, types, saves."""

    fixed_count = int(os.environ.get("BENCH_STAFF", 35))
    wait_time = between(1, 4)

    def on_start(self):
        username = max(_staff_work, key=lambda name: len(_staff_work[name]))
        work = _staff_work[username]
        self.username, self.assessments = username, [work.pop(), work.pop()] if len(work) >= 2 else work[:1]
        if not self.assessments:
            raise RuntimeError("Not enough editable assessments for the simulated staff: seed more.")
        self.sign_in()

    @task(1)
    def read_list(self):
        self.ensure_signed_in()
        self.client.get("/assessments/", name="assessments list")

    @task(4)
    def fill_a_section(self):
        self.ensure_signed_in()
        reference = secrets.choice(self.assessments)
        section = secrets.choice(SECTIONS)
        self.client.get(f"/assessments/{reference}/", name="task list")
        path = f"/assessments/{reference}/sections/{section}/"
        page = self.client.get(path, name=f"section page ({section})")
        if page.status_code != 200:
            return
        fields = SectionForm(page.text).fields()
        marker = f"Load test save {next(_counter)} by {self.username} at {time.time():.3f}."
        if section == "impacts":
            field = f"impacts-{secrets.randbelow(24)}-evidence"
            kind = "rating"
        else:
            field = "q-aims" if section == "about" else "q-sources"
            kind = "answer"
        data = [(name, value) for name, value in fields if name not in (field, "intent")]
        data += [(field, marker), ("intent", "later")]
        with self.client.post(
            path,
            data=data,
            headers={"Referer": page.url},
            allow_redirects=False,
            name=f"section save ({section})",
            catch_response=True,
        ) as response:
            if _stored(response):
                _record({"kind": kind, "reference": reference, "field": field, "marker": marker})
            else:
                response.failure(
                    f"save not made: HTTP {response.status_code} {response.headers.get('Location')}"
                )


class Approver(SignedIn):
    """Reads assessments in review and comments on them."""

    fixed_count = int(os.environ.get("BENCH_APPROVERS", 8))
    wait_time = between(2, 5)

    def on_start(self):
        entry = next(_approvers)
        self.username, self.references = entry["username"], entry["review"]
        self.recovery_codes = entry["recovery_codes"]  # shared by the users cycling through the entry
        self.sign_in()

    @task
    def review(self):
        self.ensure_signed_in()
        self.client.get("/assessments/?scope=all&status=in_review", name="assessments list, in review")
        if not self.references:
            return
        reference = secrets.choice(self.references)
        page = self.client.get(f"/assessments/{reference}/review/", name="review page")
        if page.status_code != 200:
            return
        marker = f"Load test comment {next(_counter)} by {self.username}: please name the sources."
        with self.client.post(
            f"/assessments/{reference}/review/comments/",
            data={"text": marker, "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": page.url},
            allow_redirects=False,
            name="review comment",
            catch_response=True,
        ) as response:
            if _stored(response):
                _record({"kind": "comment", "reference": reference, "field": "text", "marker": marker})
            else:
                response.failure(
                    f"comment not added: HTTP {response.status_code} {response.headers.get('Location')}"
                )


class BoardMember(SignedIn):
    """Opens the portal and downloads signed-off assessments' PDFs."""

    fixed_count = int(os.environ.get("BENCH_BOARD", 7))
    wait_time = between(2, 5)

    def on_start(self):
        self.username = next(_boards)
        self.sign_in()

    @task
    def read_a_pdf(self):
        self.ensure_signed_in()
        portal = PLAN["load"]["portal"]
        self.client.get(
            portal or "/assessments/", name="board portal" if portal else "assessments list, board"
        )
        if not PLAN["load"]["pdfs"]:
            return
        with self.client.get(
            secrets.choice(PLAN["load"]["pdfs"]), name="assessment PDF", catch_response=True
        ) as r:
            if r.status_code == 200 and r.headers.get("Content-Type", "").startswith("application/pdf"):
                r.success()
            elif r.status_code == 202:
                r.success()  # being made: the page tells the reader to wait a moment
            else:
                r.failure(f"no PDF: HTTP {r.status_code} {r.headers.get('Content-Type')}")
