"""The load test, from an empty database to a printed summary (`make loadtest`).

    LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/backancity_load \\
    LOADTEST_BROKER_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python loadtest/run.py --users 50 --duration 120

1. creates the database (its name must contain "load"; it is dropped at the end unless
   --keep), migrates it and fills it with the city-scale synthetic data set, the
   article's data and the load test's accounts (`manage.py loadtest_prepare`);
2. collects the static files and makes a self-signed certificate (openssl);
3. starts gunicorn over TLS on 127.0.0.1 and a Celery worker, with the production
   settings (DEBUG=0, secure cookies, two-factor log-in for leaders: the Locust users
   compute their TOTP codes from the keys the preparation wrote);
4. runs Locust headless, bounded in users and time, against https://127.0.0.1;
5. prints p50/p95/p99 per action, failures and throughput, the PDF jobs' outcome, and
   the machine's load; stops gunicorn and the worker, and cleans up.

Exit status 0 only when no request failed and every PDF job finished.
"""

import argparse
import csv
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent Locust users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load once all users run (default 120)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes (default 3, as the Procfile)")
    parser.add_argument("--web-threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--pdf-requests", type=int, default=2, help="PDF jobs each of the two secretariat users asks for")
    parser.add_argument("--officer-wait", default="3,10", help="an officer's think time between saves, s (default 3,10)")
    parser.add_argument("--leader-wait", default="5,15", help="a leader's think time between pages, s (default 5,15)")
    parser.add_argument(
        "--start",
        choices=("staggered", "together"),
        default="staggered",
        help="after signing in, each user starts within one think time of the others (staggered, default) "
        "or all at the same instant (together: a burst of one request per user)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the work folder")
    args = parser.parse_args()

    database_url = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/backancity_load")
    broker_url = os.environ.get("LOADTEST_BROKER_URL", "redis://127.0.0.1:6379/15")
    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    if "load" not in name or not database_url.startswith("postgres"):
        sys.exit(f"LOADTEST_DATABASE_URL must be a PostgreSQL database whose name contains 'load' (got {name!r}): it is dropped.")

    work = Path(tempfile.mkdtemp(prefix="backancity-loadtest-"))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": f"loadtest-{secrets.token_hex(4)}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "TWO_FACTOR_REQUIRED": "1",
    }
    processes: list[subprocess.Popen] = []
    try:
        say(f"Cơ sở dữ liệu {name} (tạo mới), thư mục làm việc {work}")
        drop_database(database_url)
        create_database(database_url)
        started = time.monotonic()
        run([PYTHON, "manage.py", "loadtest_prepare", "--output", str(work / "plan.json")], env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        say(f"Chuẩn bị xong sau {time.monotonic() - started:.0f} s.")
        certificate(work)

        gunicorn = [str(BIN / "gunicorn"), "backancity.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        gunicorn += ["--workers", str(args.web_workers), "--threads", str(args.web_threads), "--timeout", "60"]
        gunicorn += ["--certfile", str(work / "cert.pem"), "--keyfile", str(work / "key.pem")]
        gunicorn += [
            "--keep-alive",
            "15",
            "--access-logfile",
            str(work / "access.log"),
            "--error-logfile",
            str(work / "gunicorn.log"),
        ]
        gunicorn += ["--access-logformat", ACCESS_LOG_FORMAT]
        processes.append(spawn(gunicorn, env, work / "gunicorn.out"))
        worker = [
            str(BIN / "celery"),
            "-A",
            "backancity",
            "worker",
            "-c",
            "1",
            "-l",
            "WARNING",
            "-Q",
            env["CELERY_TASK_DEFAULT_QUEUE"],
        ]
        processes.append(spawn(worker, env, work / "worker.log"))
        wait_for_https(port)

        load_before = os.getloadavg()
        cpu_before = cpu_seconds([p.pid for p in processes])
        locust = [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless"]
        locust += ["--host", f"https://127.0.0.1:{port}", "-u", str(args.users), "-r", str(args.spawn_rate)]
        ramp = int(args.users / args.spawn_rate) + 30  # spawning, then everybody's sign-in
        # Statistics restart once every user has signed in (locustfile.py): the table is the
        # steady state of all users at once, not the ramp (Argon2 and TOTP for everybody).
        locust += ["-t", f"{args.duration + ramp}s", "--csv", str(work / "locust"), "--only-summary"]
        locust += ["--stop-timeout", "10"]
        locust += ["--loglevel", "WARNING"]
        say(f"Locust: {args.users} người dùng (tăng {args.spawn_rate}/s), {args.duration + ramp} s, https://127.0.0.1:{port}")
        sampler = LoadSampler(start_after=ramp)
        locust_env = {
            **env,
            "LOADTEST_PLAN": str(work / "plan.json"),
            "LOADTEST_PDF_REQUESTS": str(args.pdf_requests),
            "LOADTEST_OFFICER_WAIT": args.officer_wait,
            "LOADTEST_START": args.start,
            "LOADTEST_LEADER_WAIT": args.leader_wait,
            "LOADTEST_SIGN_IN_STATS": str(work / "sign-in.json"),
        }
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(locust, env=locust_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_cpu = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
        samples = sampler.stop()
        cpu_after = cpu_seconds([p.pid for p in processes])
        (work / "locust.out").write_text(result.stdout)

        if not (work / "locust_stats.csv").exists():
            print(result.stdout[-4000:])
            raise SystemExit("Locust did not run")
        jobs = wait_for_pdf_jobs(env, timeout=180)
        failures = summary(work, args, jobs, load_before, samples, cpu_after - cpu_before, locust_cpu)
        if result.returncode not in (0, 1):
            print(result.stdout[-4000:])
            failures += 1
        return 0 if failures == 0 and all(job["status"] == "done" for job in jobs) else 1
    finally:
        for process in reversed(processes):
            stop(process)
        if args.keep:
            say(f"Giữ lại: cơ sở dữ liệu {name}, thư mục {work}")
        else:
            drop_database(database_url)
            shutil.rmtree(work, ignore_errors=True)


def say(message: str):
    print(f"[thử tải] {message}", flush=True)


def run(command, env):
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def spawn(command, env, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _maintenance(database_url: str):
    import psycopg2

    parts = urllib.parse.urlparse(database_url)
    connection = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port or 5432
    )
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def create_database(database_url: str):
    connection, name = _maintenance(database_url)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop_database(database_url: str):
    connection, name = _maintenance(database_url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def certificate(work: Path):
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_https(port: int, timeout: float = 60):
    import ssl
    import urllib.request

    context = ssl._create_unverified_context()  # our own self-signed certificate
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=context, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not answer /healthz in time")
        time.sleep(0.5)


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) of these processes and all their descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _with_descendants(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (FileNotFoundError, IndexError):
            pass
    return total


def _with_descendants(pids: list[int]) -> list[int]:
    found = []
    for pid in pids:
        found.append(pid)
        path = Path(f"/proc/{pid}/task/{pid}/children")
        if path.exists():
            found += _with_descendants([int(child) for child in path.read_text().split()])
    return found


class LoadSampler:
    """The machine's 1-minute load average and CPU use, sampled while Locust runs (after
    the ramp)."""

    def __init__(self, start_after: float = 0):
        import threading

        self.start_at = time.monotonic() + start_after
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _cpu(self):
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = values[3] + values[4]
        return sum(values), idle

    def _run(self):
        total, idle = self._cpu()
        while not self._stop.wait(5):
            now_total, now_idle = self._cpu()
            busy = 1 - (now_idle - idle) / max(1, now_total - total)
            if time.monotonic() >= self.start_at:
                self.samples.append((os.getloadavg()[0], busy * 100))
            total, idle = now_total, now_idle

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.samples


def wait_for_pdf_jobs(env, timeout: float) -> list[dict]:
    """Wait for the PDF jobs the secretariat asked for; return their outcome."""
    script = (
        "import json; from reviews.models import ReviewJob; "
        "print(json.dumps([{'year': j.year, 'version': j.version, 'status': j.status, 'attempts': j.attempts, "
        "'seconds': (j.finished_at - j.requested_at).total_seconds() if j.finished_at else None, "
        "'reason': j.failure_reason} for j in ReviewJob.objects.order_by('pk')]))"
    )
    deadline = time.monotonic() + timeout
    while True:
        output = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        jobs = json.loads(output.strip().splitlines()[-1])
        if all(job["status"] in ("done", "failed") for job in jobs) or time.monotonic() > deadline:
            return jobs
        time.sleep(3)


# Method, path, status, microseconds spent in gunicorn, time.
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s %(t)s"
ACTIONS = [
    ("POST", re.compile(r"^/bao-cao-quy/\d+/\d+/[^/]+/chi-tieu/\d+/$"), "lưu một dòng số liệu"),
    ("GET", re.compile(r"^/bao-cao-quy/\d+/\d+/[^/]+/$"), "trang báo cáo quý của đơn vị"),
    ("GET", re.compile(r"^/dieu-hanh/"), "bảng điều hành (mọi trang)"),
]


def server_times(access_log: Path, since: float) -> dict[str, list[float]]:
    """Milliseconds each request spent inside gunicorn (no queueing before it, no network,
    no client), by action, for the requests of the steady state."""
    import datetime

    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        method, path, _status, micros, stamp = line.split(" ", 4)
        when = datetime.datetime.strptime(stamp.strip("[]"), "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if when < since:
            continue
        for wanted, pattern, action in ACTIONS:
            if method == wanted and pattern.match(path):
                times.setdefault(action, []).append(int(micros) / 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(work: Path, args, jobs, load_before, samples, cpu, locust_cpu) -> int:
    with (work / "locust_stats.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    sign_in = json.loads((work / "sign-in.json").read_text()) if (work / "sign-in.json").exists() else None
    steady_from = sign_in["steady_from"] if sign_in else 0
    print()
    if sign_in:
        print("Đăng nhập (trước khi đo, mọi người cùng lúc):")
        for name, entry in sign_in["entries"].items():
            print(
                f"  {name:42} {entry['count']:>6} yêu cầu  {entry['failures']} lỗi  p50 {entry['p50']:>6.0f} ms  p95 {entry['p95']:>6.0f} ms"
            )
    measured = f"{time.time() - steady_from:.0f} s" if sign_in else "?"
    print(f"Kết quả thử tải: {args.users} người dùng đồng thời, đo {measured} từ khi mọi người đã đăng nhập")
    print(f"gunicorn: {args.web_workers} tiến trình × {args.web_threads} luồng, TLS; PostgreSQL; 1 worker Celery (nice 10)")
    print(f"thời gian nghĩ giữa hai thao tác: cán bộ {args.officer_wait} s, lãnh đạo {args.leader_wait} s")
    if args.start == "together":
        print("bắt đầu: mọi người cùng một lúc sau khi đăng nhập (một đợt dồn mỗi người một yêu cầu)")
    else:
        print("bắt đầu: rải đều, mỗi người bắt đầu trong khoảng một lần thời gian nghĩ sau khi mọi người đã đăng nhập")
    header = (
        f"{'thao tác':44} {'số yêu cầu':>10} {'lỗi':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'yêu cầu/s':>9}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = "TỔNG" if row["Name"] == "Aggregated" else row["Name"]
        if row["Name"] == "Aggregated":
            print("-" * len(header))
        else:
            failures += int(row["Failure Count"])
        print(
            f"{name:44} {int(row['Request Count']):>10} {int(row['Failure Count']):>5} {row['50%']:>7} {row['95%']:>7}"
            f" {row['99%']:>7} {float(row['Max Response Time']):>7.0f} {float(row['Requests/s']):>9.1f}"
        )
    failures_file = work / "locust_failures.csv"
    if failures_file.exists():
        with failures_file.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                print(f"  lỗi: {row['Method']} {row['Name']}: {row['Error'][:200]} × {row['Occurrences']}")
    print()
    print("Thời gian xử lý trong gunicorn (không tính chờ hàng đợi, mạng, TLS phía khách, Locust):")
    for action, values in server_times(work / "access.log", steady_from).items():
        print(
            f"  {action:42} {len(values):>6} yêu cầu  p50 {percentile(values, 0.5):>6.0f} ms  p95 {percentile(values, 0.95):>6.0f} ms"
        )
    print()
    for job in jobs:
        seconds = f"{job['seconds']:.0f} s" if job["seconds"] is not None else "chưa xong"
        print(
            f"PDF báo cáo năm {job['year']} bản {job['version']}: {job['status']} sau {seconds}, {job['attempts']} lần chạy {job['reason'][:100]}"
        )
    if samples:
        loads = [load for load, _ in samples]
        busy = [cpu_use for _, cpu_use in samples]
        print(
            f"Máy ({os.cpu_count()} nhân, dùng chung): tải trung bình 1 phút trước khi chạy {load_before[0]:.2f}; "
            f"trong khi chạy {min(loads):.2f}–{max(loads):.2f}; CPU bận trung bình {sum(busy) / len(busy):.0f}% "
            f"(cao nhất {max(busy):.0f}%); gunicorn + worker dùng {cpu:.0f} s CPU, Locust {locust_cpu:.0f} s."
        )
    return failures


if __name__ == "__main__":
    sys.exit(main())
