# The benchmarks start their own processes (gunicorn, wrk, locust, Django) and request pages of
# the servers they started, on 127.0.0.1 only: the subprocess and URL-opening checks do not apply.
# ruff: noqa: S603, S310
"""What the benchmark (``bench/run.py``) and the cluster proof (``bench/cluster.py``) share: a
table of figures, a database of their own, Django in a subprocess, and a gunicorn to measure
with signed-in sessions, wrk and a save script."""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
HOST = "127.0.0.1"  # never anything else: the benchmarks load this machine only


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(_NoRedirect())


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def password_option(password: str) -> str:
    """``--password`` for ``bench.inside``, joined by "=" so that a password starting with "-"
    (as ``secrets.token_urlsafe`` may make one) is not read as another option."""
    return f"--password={password}"


def inside(module: str, *argv: str, env: dict[str, str], timeout: int = 1800) -> dict:
    """Django in a subprocess (``python -m module argv...``); it prints one JSON object on its last line."""
    result = subprocess.run(
        [PYTHON, "-m", module, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"{module} {' '.join(argv[:1])} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Row:
    figure: str
    value: str
    target: str = ""
    verdict: str = ""  # met, MISSED, n/a


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        self.rows.append(Row(figure, value, target, verdict))

    def table(self) -> str:
        rows = [Row("Figure", "Value", "Target", "Verdict"), *self.rows]
        widths = [
            max(len(getattr(r, name)) for r in rows) for name in ("figure", "value", "target", "verdict")
        ]
        lines = []
        for index, row in enumerate(rows):
            cells = [row.figure, row.value, row.target, row.verdict]
            lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |")
            if index == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines + [""] + [f"- {note}" for note in self.notes])


class Database:
    """A PostgreSQL database of a benchmark's own, on this machine: only a database whose name
    starts with ``prefix`` is ever dropped."""

    def __init__(self, url: str, prefix: str = "thrive_bench"):
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self.name = parts.path.lstrip("/")
        if not self.name.startswith(prefix):
            raise SystemExit(f"The database's name must start with '{prefix}' (it may be dropped).")
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit("The benchmark's database must be on this machine (127.0.0.1).")
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))

    def _admin(self, sql: str, params=None) -> list:
        import psycopg2

        connection = psycopg2.connect(self.admin_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def exists(self) -> bool:
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]))

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def recreate(self) -> None:
        self.drop()
        self._admin(f'CREATE DATABASE "{self.name}"')


class Harness:
    """A seeded database and the gunicorn serving it, with the ways to measure its pages."""

    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="thrive-bench-"))
        self.password = secrets.token_urlsafe(24)
        # Stored PDFs live as long as the database that lists them (--reuse keeps both).
        database = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        self.media = Path(tempfile.gettempdir()) / f"{database}-media"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": args.database_url,
            # The shared cache as deployed (README: Redis), a database of the benchmark's own.
            "CACHE_URL": args.cache_url,
            "MEDIA_ROOT": str(self.media),
            "PYTHONPATH": str(ROOT),
        }
        self.base = f"http://{HOST}:{args.port}"
        self.gunicorn: subprocess.Popen | None = None
        self.password_set = False
        self.report = Report()

    def inside(self, *argv: str, timeout: int = 1800) -> dict:
        return inside("bench.inside", *argv, env=self.env, timeout=timeout)

    def manage(self, *argv: str) -> None:
        subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def seed(self, total: int, signed_off: int = 0) -> dict:
        started = time.monotonic()
        # The seeded users get this run's password once: setting it again would sign them out.
        password = [] if self.password_set else [password_option(self.password)]
        result = self.inside("seed", str(total), "--signed-off", str(signed_off), "--force", *password)
        self.password_set = True
        say(
            f"seeded: {result['total']} assessments, {result['signed_off']} signed off "
            f"(+{result['added']} in {time.monotonic() - started:.0f} s)"
        )
        return result

    def start_gunicorn(self) -> None:
        log = open(self.work / "gunicorn.log", "w")  # noqa: SIM115 (open while gunicorn runs)
        self.gunicorn = subprocess.Popen(
            # The project's own WSGI entry point; DJANGO_SETTINGS_MODULE picks the bench's settings.
            [
                PYTHON,
                "-m",
                "gunicorn",
                "thrive_edi.wsgi:application",
                "--bind",
                f"{HOST}:{self.args.port}",
                "--workers",
                str(self.args.workers),
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=10) as response:
                    if response.status == 200:
                        break
            except OSError:  # not listening yet, or workers still booting
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not answer; see {self.work / 'gunicorn.log'}")
        say(f"gunicorn: {self.args.workers} workers on {self.base} (pid {self.gunicorn.pid})")

    def stop_gunicorn(self) -> None:
        if self.gunicorn and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.gunicorn.kill()

    def worker_pids(self) -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.gunicorn.pid}$", text, re.M):
                pids.append(int(status.parent.name))
        return pids

    def memory(self) -> tuple[int, int]:
        """(peak, current) resident memory of the largest worker, in MiB."""
        peaks, current = [], []
        for pid in self.worker_pids():
            text = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", text).group(1)) // 1024)
            current.append(int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) // 1024)
        return max(peaks, default=0), max(current, default=0)

    # A signed-in session, as a browser gets one.
    def sign_in(self, username: str) -> dict[str, str]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{self.base}/sign-in/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": self.password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/sign-in/", data=data, headers={"Referer": f"{self.base}/"}
        )
        opener.open(request).read()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if "sessionid" not in cookies:
            raise SystemExit(f"Could not sign in as {username}.")
        return cookies

    @staticmethod
    def cookie_header(cookies: dict[str, str]) -> str:
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def get(self, path: str, cookies: dict[str, str]) -> tuple[float, int, bytes, str]:
        """One request, redirects not followed: a page that sends to sign-in is not a page served."""
        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie_header(cookies)})
        started = time.perf_counter()
        try:
            with NO_REDIRECTS.open(request, timeout=300) as response:
                body, status, kind = (
                    response.read(),
                    response.status,
                    response.headers.get("Content-Type", ""),
                )
        except urllib.error.HTTPError as error:
            body, status, kind = error.read(), error.code, ""
        return time.perf_counter() - started, status, body, kind

    def timed(self, path: str, cookies: dict[str, str], repeats: int) -> float:
        self.get(path, cookies)  # warm: templates, connections
        times = []
        for _ in range(repeats):
            seconds, status, _, _ = self.get(path, cookies)
            if status != 200:
                raise SystemExit(f"{path} answered HTTP {status}")
            times.append(seconds)
        return statistics.median(times)

    def wrk(self, path: str, cookies: dict[str, str], script: Path | None = None) -> dict:
        # One thread per connection: each connection's requests then follow one another, which
        # the section saves need (each is based on the revision the one before made).
        c = self.args.connections
        command = ["wrk", f"-t{c}", f"-c{c}", f"-d{self.args.seconds}s", "--timeout", "60s", "--latency"]
        if script is None:
            command += ["-H", f"Cookie: {self.cookie_header(cookies)}"]
        else:
            command += ["-s", str(script)]
        output = subprocess.run(
            [*command, self.base + path], capture_output=True, text=True, timeout=self.args.seconds + 60
        ).stdout
        found = re.search(r"Requests/sec:\s+([\d.]+)", output)
        if not found:
            raise SystemExit(f"wrk gave no figure for {path}:\n{output}")
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        errors = re.search(r"Socket errors: (.*)", output)
        p50 = re.search(r"50%\s+([\d.]+\w+)", output)
        p99 = re.search(r"99%\s+([\d.]+\w+)", output)
        return {
            "rps": float(found.group(1)),
            "bad": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else "",
            "p50": p50.group(1) if p50 else "?",
            "p99": p99.group(1) if p99 else "?",
        }

    def revision_of(self, path: str, cookies: dict[str, str]) -> int:
        """The revision a save of the section at ``path`` is based on now, as its page gives it."""
        _seconds, status, body, _kind = self.get(path, cookies)
        found = re.search(rb'name="revision" value="(\d+)"', body)
        if status != 200 or not found:
            raise SystemExit(f"{path} gave no revision to save on (HTTP {status})")
        return int(found.group(1))

    def save_script(self, plan: dict, cookies: dict[str, str]) -> Path:
        """A wrk script in which each connection saves the section of its own assessment, again and again,
        from the revisions the sections are at now.

        Each save is based on the revision the previous one made (a 302 adds one; a page with
        errors or a conflict carries the revision to use), as a person saving repeatedly would.
        One text changes in each save, so each writes a row and its history.
        """
        quote = lambda text: f"[==[{text}]==]"  # noqa: E731
        paths = ", ".join(quote(p) for p in plan["pages"]["save_paths"])
        bodies = ", ".join(quote(b) for b in plan["pages"]["save_bodies"])
        revisions = ", ".join(str(self.revision_of(path, cookies)) for path in plan["pages"]["save_paths"])
        script = self.work / "save.lua"
        script.write_text(f"""
local paths = {{{paths}}}
local bodies = {{{bodies}}}
local revisions = {{{revisions}}}
local headers = {{
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = {quote(self.cookie_header(cookies))},
  ["X-CSRFToken"] = {quote(cookies.get("csrftoken", ""))},
}}
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  index = (id % #paths) + 1
  revision = revisions[index]
  counter = 0
end
function request()
  counter = counter + 1
  local body = bodies[index]:gsub("__N__", id .. "x" .. counter)
  body = body:gsub("__REV__", tostring(revision))
  return wrk.format("POST", paths[index], headers, body)
end
function response(status, headers, body)
  if status == 302 then
    revision = revision + 1
  else
    local found = body:match('name="revision" value="(%d+)"')
    if found then revision = tonumber(found) end
  end
end
""")
        return script
