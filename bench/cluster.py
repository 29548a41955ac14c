# The proof starts the local cluster (nginx, gunicorn, db_worker on 127.0.0.1), runs locust and
# requests against it, and kills one of its own gunicorn instances: subprocesses and URLs are its own.
# ruff: noqa: S603, S310
"""The cluster proof: the deployment of deploy/local-cluster under load, and an app server lost.

    .venv/bin/python bench/cluster.py            about 7 minutes on 2 cores
    .venv/bin/python bench/cluster.py --help

On 127.0.0.1 only, against a PostgreSQL database of its own (``thrive_cluster_proof``, dropped
and made again) and Redis database 2:

1. starts ``deploy/local-cluster`` (nginx in front of gunicorn A and B, two db_workers, one
   MEDIA_ROOT) and seeds it (the benchmark seeder, 500 assessments);
2. signs in on A, and the next request, answered by B, is signed in; five wrong passwords
   given to A lock the sign-in out, and B refuses the right password then;
3. runs the locust load test of ``bench/`` through nginx, 50 users for 2 minutes: no request may
   fail, every save must be stored. Meanwhile 20 assessments are signed off, each PDF asked for
   three times at once (two task workers race for it): each must be made in one attempt and
   stored once, intact;
4. runs the load again and kills gunicorn A (its whole process group, SIGKILL) a third of the
   way through: only requests in flight at that moment may fail (at most one a user), then a
   run with A dead must have no failure at all, and every save must be stored;
5. prints the figures, stops the cluster, and exits non-zero if any check failed.
"""

import argparse
import csv
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

# Run as a script (``python bench/cluster.py``), the project's folder is not yet on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import BENCH, HOST, PYTHON, ROOT, Database, inside, password_option, say

CLUSTER = str(ROOT / "deploy" / "local-cluster")
IN_FLIGHT_SECONDS = 5  # a request in flight on a killed server fails at once: allow clock rounding
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Proof:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="thrive-cluster-proof-"))
        self.password = secrets.token_urlsafe(18)
        self.run_dir = self.work / "cluster"
        self.cluster_env = {
            **os.environ,
            "CLUSTER_DIR": str(self.run_dir),
            "CLUSTER_PORT": str(args.port),
            "DATABASE_URL": args.database_url,
            "CACHE_URL": "redis://127.0.0.1:6379/2",
        }
        self.nginx = f"http://{HOST}:{args.port}"
        self.server_a, self.server_b = f"http://{HOST}:{args.port + 21}", f"http://{HOST}:{args.port + 22}"
        self.checks: list[tuple[str, str, bool]] = []
        self.saves = self.work / "saves.jsonl"
        self.saves.write_text("")

    def check(self, what: str, value: str, ok: bool) -> None:
        self.checks.append((what, value, ok))
        say(f"{'ok ' if ok else 'FAILED'} {what}: {value}")

    # Processes ------------------------------------------------------------------------------------

    def cluster(self, command: str) -> None:
        subprocess.run([PYTHON, CLUSTER, command], env=self.cluster_env, check=True, timeout=300)

    def app_env(self) -> dict[str, str]:
        listed = subprocess.run(
            [PYTHON, CLUSTER, "env"], env=self.cluster_env, check=True, capture_output=True, text=True
        ).stdout
        return {
            **os.environ,
            **dict(line.split("=", 1) for line in listed.splitlines()),
            "PYTHONPATH": str(ROOT),
        }

    def inside(self, module: str, *argv: str, timeout: int = 900) -> dict:
        return inside(module, *argv, env=self.env, timeout=timeout)

    def fresh_database(self) -> None:
        Database(self.args.database_url, prefix="thrive_cluster").drop()
        import redis

        redis.Redis.from_url(self.cluster_env["CACHE_URL"]).flushdb()

    # HTTP -------------------------------------------------------------------------------------------

    @staticmethod
    def browser() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        jar = http.cookiejar.CookieJar()
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect()), jar

    @staticmethod
    def request(opener, url: str, data: dict | None = None, referer: str = "") -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": referer} if referer else {})
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def sign_in(self, opener, server: str, username: str, password: str) -> tuple[int, str]:
        status, page, _ = self.request(opener, f"{server}/sign-in/")
        token = CSRF.search(page).group(1)
        status, _, location = self.request(
            opener,
            f"{server}/sign-in/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            referer=f"{server}/sign-in/",
        )
        return status, location

    # The steps --------------------------------------------------------------------------------------

    def shared_state(self) -> None:
        """Sessions and lock-outs hold whichever server answers."""
        self.inside("bench.cluster_inside", "user", "cluster-proof-anna", password_option(self.password))
        self.inside("bench.cluster_inside", "user", "cluster-proof-ben", password_option(self.password))
        opener, _ = self.browser()
        status, location = self.sign_in(opener, self.server_a, "cluster-proof-anna", self.password)
        signed_in_on_a = status == 302 and "sign-in" not in location
        status_b, _, location_b = self.request(opener, f"{self.server_b}/assessments/")
        self.check(
            "Signed in on A, the next request answered by B",
            f"A: HTTP {status}; B: HTTP {status_b}{' to ' + location_b if location_b else ''}",
            signed_in_on_a and status_b == 200,
        )
        attacker, _ = self.browser()
        failures = [
            self.sign_in(attacker, self.server_a, "cluster-proof-ben", "wrong password")[0] for _ in range(5)
        ]
        fresh, _ = self.browser()
        status_b, _ = self.sign_in(fresh, self.server_b, "cluster-proof-ben", self.password)
        self.check(
            "Locked out through A (5 wrong passwords), the right password on B",
            f"A answered {', '.join(map(str, failures))}; B answered HTTP {status_b}",
            status_b == 429 and 302 not in failures,
        )

    def locust(self, label: str, seconds: int, during=None) -> dict:
        users = self.args.users
        staff, approvers = round(users * 0.7), round(users * 0.16)
        env = {
            **self.env,
            "BENCH_PLAN": str(self.work / "plan.json"),
            "BENCH_PASSWORD": self.password,
            "BENCH_SAVES": str(self.saves),
            "BENCH_STAFF": str(staff),
            "BENCH_APPROVERS": str(approvers),
            "BENCH_BOARD": str(users - staff - approvers),
        }
        self.inside("bench.cluster_inside", "codes", str(self.work / "plan.json"))
        locust = str(Path(PYTHON).parent / "locust")
        prefix = self.work / label
        command = [
            locust, "-f", str(BENCH / "locustfile.py"), "--headless", "-u", str(users), "-r", "10",
            "-t", f"{seconds}s", "--stop-timeout", "30", "--host", self.nginx, "--csv", str(prefix),
            "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        say(f"load ({label}): {users} users for {seconds} s through nginx {self.nginx}")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        helper = threading.Thread(target=during, daemon=True) if during else None
        if helper:
            helper.start()
        output = process.communicate(timeout=seconds + 240)[0].decode()
        (self.work / f"{label}.log").write_text(output)
        if helper:
            helper.join(timeout=300)
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
        failures, last_failure = [], 0.0
        failures_csv = Path(f"{prefix}_failures.csv")
        if failures_csv.exists():
            with open(failures_csv, newline="") as handle:
                rows = list(csv.DictReader(handle))
            seen = [datetime.fromisoformat(r["Last Seen"].replace("Z", "+00:00")).timestamp() for r in rows]
            last_failure = max(seen, default=0.0)
            with open(failures_csv, newline="") as handle:
                failures = [
                    f"{r['Method']} {r['Name']}: {r['Error'][:80]} x{r['Occurrences']}"
                    for r in csv.DictReader(handle)
                ]
        return {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": row["50%"],
            "p95": row["95%"],
            "failure_kinds": failures,
            "last_failure": last_failure,
        }

    def figures(self, label: str, result: dict) -> str:
        return (
            f"{result['requests']} requests, {result['failures']} failed ({result['rps']:.1f} req/s, "
            f"p50 {result['p50']} ms, p95 {result['p95']} ms)"
        )

    def wait_for_queue(self, seconds: int = 300) -> int:
        deadline = time.monotonic() + seconds
        while True:
            waiting = self.inside("bench.cluster_inside", "queue")["waiting"]
            if waiting == 0 or time.monotonic() > deadline:
                return waiting
            time.sleep(2)

    def load_with_sign_offs(self) -> None:
        signed: dict = {}

        def sign_offs():
            time.sleep(15)
            signed.update(
                self.inside(
                    "bench.cluster_inside", "signoffs", str(self.work / "plan.json"),
                    str(self.args.sign_offs), str(self.args.load_seconds * 0.6),
                )
            )  # fmt: skip

        result = self.locust("load", self.args.load_seconds, during=sign_offs)
        self.check(
            "Load through nginx, both servers up", self.figures("load", result), result["failures"] == 0
        )
        if result["failure_kinds"]:
            say("failures: " + " | ".join(result["failure_kinds"][:5]))
        references = signed.get("signed_off", [])
        left = self.wait_for_queue()
        (self.work / "signed.json").write_text(json.dumps(references))
        pdfs = self.inside("bench.cluster_inside", "pdfs", str(self.work / "signed.json"))["pdfs"]
        once = [
            r
            for r, p in pdfs.items()
            if p["status"] == "ready" and p["attempts"] == 1 and p["files"] == 1 and p["intact"]
        ]
        self.check(
            "Assessments signed off during the load, each PDF asked for 3 times at once",
            f"{len(references)} signed off; {len(once)} PDFs made in one attempt, stored once and intact; "
            f"{left} tasks still queued"
            + (f"; refused: {signed.get('refused')}" if signed.get("refused") else ""),
            len(references) == self.args.sign_offs and len(once) == len(references) and left == 0,
        )
        odd = {r: p for r, p in pdfs.items() if r not in once}
        if odd:
            say(f"PDFs not made once: {odd}")

    def kill_one_server(self) -> None:
        pid = int((self.run_dir / "gunicorn-a.pid").read_text())
        killed_at: list[float] = []

        def kill():
            time.sleep(self.args.kill_seconds / 3)
            os.killpg(pid, signal.SIGKILL)
            killed_at.append(time.time())
            say(f"killed gunicorn A (process group {pid})")

        result = self.locust("kill", self.args.kill_seconds, during=kill)
        # In flight when A died: at most one request a user, each failing at that moment (the
        # failures' times are whole seconds).
        late = result["last_failure"] - killed_at[0] if killed_at and result["failures"] else 0
        self.check(
            "Load while gunicorn A is killed (SIGKILL) a third of the way through",
            self.figures("kill", result)
            + (f", the last {late:.0f} s after the kill" if result["failures"] else "")
            + (f": {'; '.join(result['failure_kinds'][:3])}" if result["failure_kinds"] else ""),
            bool(killed_at) and result["failures"] <= self.args.users and late <= IN_FLIGHT_SECONDS,
        )
        after = self.locust("after", self.args.after_seconds)
        self.check("Load with gunicorn A dead, B alone", self.figures("after", after), after["failures"] == 0)

    def saves_stored(self) -> None:
        verified = self.inside("bench.inside", "verify", str(self.saves))
        self.check(
            "Saves that succeeded, found in the database",
            f"{verified['saves'] - verified['missing']} of {verified['saves']} stored; "
            f"{verified['not_last']} fields not holding their last save",
            verified["saves"] > 0 and verified["missing"] == 0 and verified["not_last"] == 0,
        )

    def metrics(self) -> None:
        try:
            with urllib.request.urlopen(f"{self.server_b}/metrics", timeout=30) as response:
                text = response.read().decode()
        except OSError as error:
            self.check("Metrics of B", f"not read: {error}", False)
            return
        wanted = ("django_http_requests_latency_seconds_by_view_method", "django_db_execute_total",
                  "thrive_edi_task_queue_depth", "thrive_edi_pdfs")  # fmt: skip
        lines = [
            line
            for line in text.splitlines()
            if line.startswith(("thrive_edi_task_queue_depth{", "thrive_edi_pdfs{"))
        ]
        self.check("Metrics of B", "; ".join(lines), all(name in text for name in wanted))

    def run(self) -> int:
        self.fresh_database()
        started = time.monotonic()
        try:
            self.cluster("start")
            self.env = {**self.app_env(), "DJANGO_SETTINGS_MODULE": "thrive_edi.settings"}
            say(f"seeding {self.args.assessments} assessments")
            self.env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
            self.inside(
                "bench.inside", "seed", str(self.args.assessments), password_option(self.password), "--force"
            )
            self.inside("bench.inside", "plan", str(self.work / "plan.json"), password_option(self.password))
            self.env["DJANGO_SETTINGS_MODULE"] = "thrive_edi.settings"
            self.shared_state()
            self.load_with_sign_offs()
            self.kill_one_server()
            self.saves_stored()
            self.metrics()
        finally:
            self.cluster("stop")
        width = max(len(what) for what, _, _ in self.checks)
        minutes = (time.monotonic() - started) / 60
        print(
            f"\nThrive EDI cluster proof, {time.strftime('%Y-%m-%d %H:%M')}, {minutes:.1f} minutes; "
            f"logs in {self.work}\n"
        )
        for what, value, ok in self.checks:
            print(f"{'ok    ' if ok else 'FAILED'} {what.ljust(width)}  {value}")
        failed = [what for what, _, ok in self.checks if not ok]
        print(f"\nCluster proof: {len(self.checks) - len(failed)} of {len(self.checks)} checks met.")
        return 1 if failed else 0


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/cluster.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assessments", type=int, default=500, help="assessments seeded")
    parser.add_argument("--users", type=int, default=50, help="simulated users of the load test")
    parser.add_argument("--load-seconds", type=int, default=120, help="the load with both servers up")
    parser.add_argument("--sign-offs", type=int, default=20, help="assessments signed off during it")
    parser.add_argument("--kill-seconds", type=int, default=60, help="the load during which A is killed")
    parser.add_argument("--after-seconds", type=int, default=30, help="the load with A dead")
    parser.add_argument("--port", type=int, default=8180, help="nginx's port; A and B on +21 and +22")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/thrive_cluster_proof",
        help="a database of the proof's own on 127.0.0.1, named thrive_cluster...: it is dropped first",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(Proof(arguments()).run())
