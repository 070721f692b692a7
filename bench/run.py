"""Latency and throughput of portal pages under load, written to bench/results.md.

Starts gunicorn on loopback (the same settings as `make run`), loads each page of bench/pages.py
with wrk for a fixed time, and compares each public page's p50 with the one-query baseline
measured in the same run. Run through `make bench` (which sets up the database and demo data).

    python bench/run.py [--seconds 10] [--connections 10]

Pages of kind "dashboard" (the budget explorer) are for back-office users: the run logs in once
as the demo `executive` (kind "work": as the demo `provincial`; password
`units.demo.DEMO_PASSWORD`, created by `seed_demo`) through
/accounts/login/ and sends that session to wrk with `-H "Cookie: sessionid=..."`; it stops if
a dashboard page does not answer 200 with it (a redirect to the login page would measure
nothing). Pages of kind "download" (the registry's CSV/XLSX) are anonymous and checked against
their p95 target only.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES  # noqa: E402
from units.demo import DEMO_PASSWORD  # noqa: E402  (no Django setup needed: stdlib only)

RESULTS = ROOT / "bench" / "results.md"
PUBLIC_RATIO = 5  # DESIGN.md §5, for public pages without a target of their own
# Pages of these kinds are measured logged in as this demo user (`seed_demo`).
SESSION_USERS = {"dashboard": "executive", "work": "provincial"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1))
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", workers,
            "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer on /healthz within 30 s")


def log_in(port: int, username: str = "executive") -> str:
    """Log in through the login form (CSRF cookie and token included); returns the Cookie
    header value of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = f"http://127.0.0.1:{port}/accounts/login/"
    opener.open(login_url, timeout=10).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": cookies["csrftoken"],
            "username": username,
            "password": DEMO_PASSWORD,
        }
    ).encode()
    opener.open(urllib.request.Request(login_url, data=form, headers={"Referer": login_url}))
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"bench: could not log in as the demo {username!r} (run seed_demo)")
    return f"sessionid={cookies['sessionid']}"


def check_status(url: str, cookie: str) -> None:
    """Stop when a logged-in page does not answer 200 (a login redirect measures nothing)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        status = urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"bench: {url} answered {status} to the logged-in demo user")


def measure(url: str, *, seconds: int, connections: int, cookie: str = "") -> dict:
    script = str(ROOT / "bench" / "latency.lua")
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    # Warm up: every worker opens its persistent database connection and fills its caches.
    subprocess.run(
        ["wrk", "-t2", f"-c{connections}", "-d2s", "-s", script, *headers, url],
        capture_output=True,
        check=True,
    )
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stats = json.loads(output.strip().splitlines()[-1])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only pages whose name contains this text (repeatable; the baseline is "
        "always measured); the results file is left as it is",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (or scripts/system-deps.sh --bench)")

    port = free_port()
    server = start_gunicorn(port)
    try:
        results = []
        kinds = {page[3] for page in PAGES}
        cookies = {
            kind: log_in(port, user) for kind, user in SESSION_USERS.items() if kind in kinds
        }
        pages = [
            page
            for page in PAGES
            if not args.only or page[3] == "baseline" or any(o in page[0] for o in args.only)
        ]
        for name, path, target_ms, kind, *ratio in pages:
            url = f"http://127.0.0.1:{port}{path}"
            cookie = cookies.get(kind, "")
            if cookie:
                check_status(url, cookie)
            stats = measure(url, seconds=args.seconds, connections=args.connections, cookie=cookie)
            results.append((name, path, target_ms, kind, ratio[0] if ratio else None, stats))
            print(
                f"{name:<30} p50 {stats['p50'] / 1000:7.1f} ms  p95 {stats['p95'] / 1000:7.1f} ms"
                f"  {stats['rps']:8.0f} req/s  errors {stats['errors']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not args.only:
        write_results(results, args)


def write_results(results, args) -> None:
    baseline_p50 = next(s["p50"] for *_, kind, _ratio, s in results if kind == "baseline")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench`: "
        f"gunicorn on loopback, {os.cpu_count()} cores, wrk with {args.connections} connections "
        f"for {args.seconds} s per page after a 2 s warm-up.",
        "",
        "| page | path | p50 ms | p95 ms | p99 ms | req/s | errors | p50 / baseline "
        "| p50 target | p95 target | ok |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, path, target_ms, kind, ratio_target, s in results:
        ratio = s["p50"] / baseline_p50 if baseline_p50 else 0
        ok = s["p95"] / 1000 <= target_ms and s["errors"] == 0
        if kind == "public":
            ratio_target = ratio_target or PUBLIC_RATIO
            ok = ok and ratio <= ratio_target
        shown_target = f"≤ {ratio_target}×" if ratio_target else "–"
        verdict = "yes" if ok else "**no**"
        if kind == "rendered":
            verdict = "(rendered)"
        lines.append(
            f"| {name} | `{path}` | {s['p50'] / 1000:.1f} | {s['p95'] / 1000:.1f} | "
            f"{s['p99'] / 1000:.1f} | {s['rps']:.0f} | {s['errors']} | {ratio:.1f}× | "
            f"{shown_target} | ≤ {target_ms} ms | {verdict} |"
        )
    lines += [
        "",
        "Targets (DESIGN.md §5): public pages p95 ≤ 100 ms and p50 ≤ 5× the one-query baseline "
        "(3× where the page's own target says so); dashboards p95 ≤ 200 ms; downloads (stored "
        "files of a few MB) their p95 target only. Public pages are measured as a visitor "
        "(no session): after the warm-up they are answered from the page cache "
        "(units/pagecache.py) where the page uses it. Rows marked (rendered) carry a parameter "
        "the page does not read, so every request renders the page as the first visitor after "
        "a change does: they show the cost of a cache miss and are not judged.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
