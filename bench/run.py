# The benchmark starts its own processes (gunicorn, wrk, locust, Django) and requests pages of
# the gunicorn it started, on 127.0.0.1 only: the subprocess and URL-opening checks do not apply.
# ruff: noqa: S603
"""Benchmarks of Thrive EDI: one command, one table of figures, ratios measured side by side.

    .venv/bin/python bench/run.py                  # 5,000 assessments, about 45 minutes on 2 cores
    .venv/bin/python bench/run.py --quick          # a smoke run of a few minutes
    .venv/bin/python bench/run.py --help

It creates a PostgreSQL database of its own (``thrive_bench`` by default; only a database whose
name starts with ``thrive_bench`` is ever dropped), seeds it (``bench/seed.py``), starts gunicorn
on 127.0.0.1 with the production settings plus a trivial page (``bench/settings.py``), and
measures, in this order:

1. query counts of every page at 10 and at 1,000 assessments (in-process, Django's test client);
2. throughput of pages against the trivial page, same session, same gunicorn (wrk);
3. the full-assessment PDF against WeasyPrint on plain HTML of the same text, and serving it;
4. a load test (locust, headless) and the check that every save it made is stored;
5. the dashboard at 1,000 and at 10,000 signed-off assessments (scaled down with --quick);
6. the peak memory of the gunicorn workers;
7. the Pledge progress report, in a database of its own (``thrive_bench_pledge``): its page's and
   its PDF's queries at 200 assessments and at 5,000 with 2,000 outcome reviews, its page and PDF
   times, and its PDF against a single assessment's PDF of the same page count
   (``bench/pledge_report.py``).
"""

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run as a script (``python bench/run.py``), the project's folder is not yet on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import pledge_report
from bench.harness import BENCH, PYTHON, ROOT, Database, Harness, Report, password_option, say
from bench.rounds import Round, throughput_figure

STEPS = ("counts", "throughput", "pdf", "load", "dashboard", "pledge")
# Throughput against the trivial page, at least; the dashboard has none: as before, or better.
TARGETS = {
    "list": 0.20,
    "task_list": 0.20,
    "task_list_changes": 0.20,
    "task_list_signed": 0.20,
    "check": 0.20,
    "section": 0.15,
    "history": 0.15,
    "save": 0.12,
    "max_queries": 15,
    "pdf_over_plain": 1.5,
    "served_faster": 50,
    "dashboard_growth": 3.0,
    "register": 0.5,
    "register_summary": 0.5,
}


class Bench(Harness):
    """The steps of the benchmark, each adding its figures to the report."""

    # The steps --------------------------------------------------------------------------------------

    def query_counts(self) -> None:
        say("query counts at 10 assessments")
        self.seed(10)
        small = self.inside("querycounts")["counts"]
        say(f"query counts at {self.args.count_size} assessments")
        self.seed(self.args.count_size)
        large = self.inside("querycounts")["counts"]
        for page, low in small.items():
            high = large.get(page, "not counted")
            if isinstance(low, str) or isinstance(high, str):
                self.report.add(f"Queries: {page}", f"{low} / {high}", "", False)
                continue
            ok = low == high and high <= TARGETS["max_queries"]
            self.report.add(
                f"Queries: {page}",
                f"{low} at 10, {high} at {self.args.count_size}",
                f"equal, <= {TARGETS['max_queries']}",
                ok,
            )

    def pledge_report(self) -> None:
        """The report over its own database: the outcome reviews it reads need signed-off work
        the other steps' mix has too little of, and the dashboard step adds ten times more."""
        say(f"the Pledge progress report, in {self.args.pledge_database_url.rsplit('/', 1)[-1]}")
        small, large, timing = pledge_report.measure(
            self.args.pledge_database_url,
            assessments=self.args.assessments,
            outcome_reviews=self.args.outcome_reviews,
            small=self.args.pledge_small,
            reuse=self.args.reuse,
            log=say,
        )
        for figure, value, target, met in pledge_report.rows(small, large, timing):
            self.report.add(figure, value, target, met)
        self.report.notes.append(
            f"Pledge report: pages tried for the single assessment (actions, pages): {timing['tried']}"
        )

    def throughput(self, plan: dict) -> None:
        """Each page between two runs of the trivial page with the same session, in rounds.

        A page is compared with the mean of the trivial runs just before and just after it, so
        that a machine that speeds up or slows down during the run (shared machines do) moves
        both sides of each ratio alike. Every page is measured once a round, the rounds one
        after another, and its figure is the median of its rounds' ratios: a burst of other work
        on the machine then spoils one round of a page rather than its figure.
        """
        pages = plan["pages"]
        sessions = {who: self.sign_in(plan[who]) for who in ("staff", "owner", "board")}
        sessions["anonymous"] = {}
        for cookies in sessions.values():
            self.get(pages["trivial"], cookies)
        # Anonymous pages are compared with the same trivial answer, open without signing in.
        trivial_of = {
            "staff": pages["trivial"],
            "owner": pages["trivial"],
            "board": pages["trivial"],
            "anonymous": pages["public_trivial"],
        }
        runs = [
            ("Assessments list", "list", pages["list"], "staff"),
            ("Task list (draft)", "task_list", pages["task_list"], "staff"),
            ("Task list (changes requested)", "task_list_changes", pages["task_list_changes"], "owner"),
            ("Task list (signed off, complete)", "task_list_signed", pages["task_list_signed"], "staff"),
            ("Check answers (signed off)", "check", pages["check"], "staff"),
            ("History (signed off)", "history", pages["history"], "staff"),
            ("Section page (impact grid, GET)", "section", pages["section"], "staff"),
            ("Section save (impact grid, POST)", "save", pages["save_paths"][0], "staff"),
            ("Board portal", "portal", pages["portal"], "board"),
            ("Dashboard", "dashboard", pages["dashboard"], "board"),
            (
                "Dashboard, counts from a cache cleared at sign-off",
                "dashboard_cached",
                pages["dashboard_cached"],
                "board",
            ),
            ("Public register (anonymous)", "register", pages["register"], "anonymous"),
            ("Public summary (anonymous)", "register_summary", pages["register_summary"], "anonymous"),
        ]
        trivial_runs: dict[str, list[float]] = {who: [] for who in sessions}

        def trivial(who: str) -> float:
            say(f"wrk: trivial page, {who} session")
            trivial_runs[who].append(self.wrk(trivial_of[who], sessions[who])["rps"])
            return trivial_runs[who][-1]

        refused = {}
        for _label, key, path, who in runs:
            if key != "save":  # a page, not a save: it must be the page, not a way to sign-in
                status = self.get(path, sessions[who])[1]
                if status != 200:
                    refused[key] = status
        rounds: dict[str, list[Round]] = {key: [] for _label, key, _path, _who in runs}
        last = {}
        for number in range(1, self.args.rounds + 1):
            for label, key, path, who in runs:
                if key in refused:
                    continue
                # Saves go on from the revisions the last round left: each is based on the one before.
                script = self.save_script(plan, sessions[who]) if key == "save" else None
                before = last.get(who) or trivial(who)
                say(f"wrk: {label} (round {number} of {self.args.rounds})")
                result = self.wrk(path, sessions[who], script)
                after = last[who] = trivial(who)
                rounds[key].append(Round(result, before, after))
        for label, key, _path, _who in runs:
            if key in refused:
                self.report.add(f"Throughput: {label}", f"not measured: HTTP {refused[key]}", "", False)
                continue
            self.report.add(f"Throughput: {label}", *throughput_figure(rounds[key], TARGETS.get(key)))
        for who, rates in trivial_runs.items():
            if rates:
                self.report.add(
                    f"Trivial page, {who} session (req/s)",
                    f"{min(rates):.0f} to {max(rates):.0f} over {len(rates)} runs",
                    "baseline",
                )

    def pdf(self, plan: dict) -> None:
        say("PDF: full assessment against plain HTML of the same text")
        result = self.inside("pdf", str(self.work / "plan.json"))
        if not result.get("available"):
            self.report.add("PDF: full assessment vs plain HTML", f"not available ({result.get('reason')})")
        else:
            ratio = result["ratio"]
            pairs = ", ".join(f"{one:.2f}" for one in result["ratios"])
            self.report.add(
                "PDF: full assessment vs plain HTML",
                f"{ratio:.2f}x (median of {len(result['ratios'])} pairs rendered in turn: {pairs}; "
                f"{result['full_seconds']:.2f} s, {result['full_pages']} pages vs "
                f"{result['plain_seconds']:.2f} s, {result['plain_pages']} pages; "
                f"{result['sections']} sections, {result['characteristics']} characteristics, "
                f"{result['actions']} actions)",
                f"<= {TARGETS['pdf_over_plain']}x",
                ratio <= TARGETS["pdf_over_plain"],
            )
        url = plan["pages"]["full_pdf"]
        board = self.sign_in(plan["board"])
        first, status, body, kind = self.get(url, board)
        if status != 200 or not kind.startswith("application/pdf"):
            self.report.add(
                "PDF: served when already rendered", f"first request gave HTTP {status} {kind}", "", False
            )
            return
        times = [self.get(url, board)[0] for _ in range(20)]
        served = statistics.median(times)
        self.report.add(
            "PDF: served when already rendered",
            f"{first / served:.0f}x faster ({served * 1000:.1f} ms vs {first:.2f} s for the request that "
            f"rendered it; {len(body) // 1024} KiB)",
            f">= {TARGETS['served_faster']}x",
            first / served >= TARGETS["served_faster"],
        )

    def load_test(self, plan: dict) -> None:
        if shutil.which("locust", path=str(Path(PYTHON).parent)) is None and shutil.which("locust") is None:
            self.report.add(
                "Load test", "not run: locust is not installed (pip install -r requirements-dev.txt)"
            )
            return
        users = self.args.users
        staff, approvers = round(users * 0.7), round(users * 0.16)
        board = users - staff - approvers
        saves = self.work / "saves.jsonl"
        saves.write_text("")
        say(
            f"load test: {users} users ({staff} staff, {approvers} approvers, {board} board) "
            f"for {self.args.load_seconds} s"
        )
        locust = shutil.which("locust", path=str(Path(PYTHON).parent)) or shutil.which("locust")
        env = {
            **self.env,
            "BENCH_PLAN": str(self.work / "plan.json"),
            "BENCH_PASSWORD": self.password,
            "BENCH_SAVES": str(saves),
            "BENCH_STAFF": str(staff),
            "BENCH_APPROVERS": str(approvers),
            "BENCH_BOARD": str(board),
        }
        completed = subprocess.run(
            [
                locust,
                "-f",
                str(BENCH / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                "10",
                "-t",
                f"{self.args.load_seconds}s",
                "--stop-timeout",
                "30",
                "--host",
                self.base,
                "--csv",
                str(self.work / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=self.args.load_seconds + 180,
        )
        (self.work / "locust.log").write_text(completed.stdout + completed.stderr)
        with open(self.work / "load_stats.csv", newline="") as handle:
            stats = list(csv.DictReader(handle))
        row = next(r for r in stats if r["Name"] == "Aggregated")
        requests, failures = int(row["Request Count"]), int(row["Failure Count"])
        self.report.add(
            "Load test: requests, failures",
            f"{requests} requests, {failures} failed ({float(row['Requests/s']):.1f} req/s, "
            f"p50 {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms)",
            "0 failed",
            failures == 0,
        )
        slowest = sorted(
            (r for r in stats if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0)
        )[:3]
        self.report.notes.append(
            "Load test, slowest requests at p95: "
            + "; ".join(f"{r['Name']} {r['95%']} ms ({r['Request Count']} requests)" for r in slowest)
        )
        if failures:
            failed = (self.work / "load_failures.csv").read_text().splitlines()[1:4]
            self.report.notes.append("Load test failures: " + " | ".join(failed))
        verified = self.inside("verify", str(saves))
        self.report.add(
            "Load test: saves found in the database",
            f"{verified['saves'] - verified['missing']} of {verified['saves']} saves stored; "
            f"{verified['not_last']} fields not holding their last save",
            "0 lost",
            verified["missing"] == 0 and verified["not_last"] == 0 and verified["saves"] > 0,
        )
        if verified["examples"]:
            self.report.notes.append(f"Lost saves, for example: {verified['examples']}")

    def dashboard_designs(self, plan: dict, board: dict[str, str], signed_off: int) -> float:
        """The dashboard with the counts kept at sign-off, and with them in a cache a sign-off
        clears (``bench/urls.py``): the first request after a sign-off, then the next ones."""
        kept = self.timed(plan["pages"]["dashboard"], board, 5)
        self.inside("uncache")
        first = self.get(plan["pages"]["dashboard_cached"], board)[0]
        cached = self.timed(plan["pages"]["dashboard_cached"], board, 5)
        self.report.add(
            f"Dashboard at {signed_off:,} signed off: kept counts / cache cleared at sign-off",
            f"{kept * 1000:.0f} ms / {cached * 1000:.0f} ms "
            f"(first request after a sign-off {first * 1000:.0f} ms)",
        )
        return kept

    def dashboard(self, plan: dict) -> None:
        board = self.sign_in(plan["board"])
        small = self.inside("counts")["signed_off"]
        before = self.dashboard_designs(plan, board, small)
        say(f"dashboard: {before * 1000:.0f} ms at {small} signed off; seeding to {small * 10}")
        self.seed(self.args.assessments, signed_off=small * 10)
        large = self.inside("counts")["signed_off"]
        after = self.dashboard_designs(plan, board, large)
        ratio = after / before
        self.report.add(
            "Dashboard: time at 10x the signed-off assessments",
            f"{ratio:.2f}x ({before * 1000:.0f} ms at {small:,} signed off, "
            f"{after * 1000:.0f} ms at {large:,})",
            f"<= {TARGETS['dashboard_growth']}x",
            ratio <= TARGETS["dashboard_growth"],
        )

    def run(self) -> Report:
        if self.args.only - {"pledge"}:
            self.served()
        if "pledge" in self.args.only:
            self.pledge_report()
        return self.report

    def served(self) -> None:
        """Every step but the Pledge report's: one database, one gunicorn."""
        self.check_tools()
        database = Database(self.args.database_url)
        if self.args.reuse and database.exists():
            say(f"reusing the database {database.name}")
        else:
            say(f"creating the database {database.name}")
            database.recreate()
            shutil.rmtree(self.media, ignore_errors=True)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        empty_cache(self.args.cache_url)
        if "counts" in self.args.only:
            self.query_counts()
        self.seed(self.args.assessments)
        say("planning pages, users and the full assessment")
        self.inside("plan", str(self.work / "plan.json"), password_option(self.password))
        plan = json.loads((self.work / "plan.json").read_text())
        counts = self.inside("counts")
        self.report.notes.insert(0, f"Database at the throughput, PDF and load runs: {counts}")
        try:
            self.start_gunicorn()
            if "throughput" in self.args.only:
                self.throughput(plan)
            if "pdf" in self.args.only:
                self.pdf(plan)
            if "load" in self.args.only and self.args.users:
                self.load_test(plan)
            if "dashboard" in self.args.only:
                self.dashboard(plan)
            peak, current = self.memory()
            self.report.add(
                "Memory: gunicorn worker after the run",
                f"peak {peak} MiB, now {current} MiB (largest of {self.args.workers} workers)",
            )
        finally:
            self.stop_gunicorn()
        self.report.notes.append(
            f"{self.args.workers} gunicorn sync workers; wrk with {self.args.connections} threads and "
            f"connections for {self.args.seconds} s; {os.cpu_count()} CPUs; logs and the plan in {self.work}"
        )

    def check_tools(self) -> None:
        if shutil.which("wrk") is None:
            raise SystemExit("wrk is needed for the throughput figures: apt-get install -y wrk")
        if not (ROOT / "static" / "build").exists():
            raise SystemExit("Build the front-end assets first: npm ci && npm run build")


def empty_cache(url: str) -> None:
    """Start from an empty shared cache: pages kept by an earlier run describe another database."""
    if url.startswith(("redis://", "rediss://")):
        import redis

        try:
            redis.Redis.from_url(url).flushdb()
        except redis.ConnectionError as error:
            message = f"Redis does not answer at {url} ({error}): start it, or give --cache-url ''"
            raise SystemExit(message) from None


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--assessments", type=int, default=5000, help="assessments seeded for the runs")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 assessments, short runs")
    parser.add_argument("--count-size", type=int, default=1000, help="the larger size of the query counts")
    parser.add_argument("--seconds", type=int, default=8, help="seconds of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="throughput rounds (a page's figure: their median)"
    )
    parser.add_argument("--connections", type=int, default=6, help="wrk connections")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (as in the README)")
    parser.add_argument("--users", type=int, default=50, help="load test users (0: no load test)")
    parser.add_argument("--load-seconds", type=int, default=120, help="load test duration")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/thrive_bench",
        help="a PostgreSQL database of the benchmark's own, on 127.0.0.1, named thrive_bench...",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/3",
        help="the shared cache, as deployed: a Redis database of the benchmark's own, emptied at the "
        "start ('' for the database's cache table)",
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the seeded database of an earlier run")
    parser.add_argument(
        "--outcome-reviews",
        type=int,
        default=2000,
        help="outcome reviews for the Pledge report step, at --assessments assessments",
    )
    parser.add_argument(
        "--pledge-small", type=int, default=200, help="assessments at the Pledge report's smaller size"
    )
    parser.add_argument(
        "--pledge-database-url",
        default=pledge_report.DATABASE_URL,
        help="the Pledge report step's own database, on 127.0.0.1, named thrive_bench...",
    )
    parser.add_argument(
        "--only",
        default=",".join(STEPS),
        type=lambda text: set(text.split(",")) - {""},
        help=f"the steps to run, of {','.join(STEPS)} (query counts need a new database)",
    )
    parser.add_argument(
        "--output", type=Path, default=BENCH / "results" / "last.md", help="where to write the table"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.assessments = min(args.assessments, 1000)
        args.seconds, args.rounds, args.users, args.load_seconds = 5, 1, min(args.users, 20), 30
        args.outcome_reviews = min(args.outcome_reviews, 400)
        args.pledge_small = min(args.pledge_small, 100)
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    started = time.monotonic()
    bench = Bench(args)
    report = bench.run()
    table = report.table()
    minutes = (time.monotonic() - started) / 60
    header = (
        f"Thrive EDI benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{'quick' if args.quick else 'full'} run, {args.assessments:,} assessments, {minutes:.1f} minutes\n"
    )
    print(header)
    print(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(header + "\n" + table + "\n")
    missed = [row.figure for row in report.rows if row.verdict == "MISSED"]
    if missed:
        print(f"\nMissed targets: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
