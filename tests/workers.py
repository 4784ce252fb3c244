"""Real Celery workers and Redis servers for the tests that need them (marked `worker`).

`Worker` starts `celery worker` in a process of its own, pointed at the test database, a
media folder and a broker, with whatever settings the test gives it through the
environment (short visibility timeouts and sweep thresholds for the fault drills). Its
output goes to a log file, printed when a drill fails. `RedisServer` runs a private
redis-server on a free port, which a drill may stop and start again without touching
the shared Redis.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def database_url_for_worker() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def database_shared_with_other_processes() -> bool:
    """The in-memory SQLite test database is not visible to another process."""
    return not (connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `condition` until it returns something truthy; return that, or fail after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not true after {timeout} s")
        time.sleep(interval)


class Worker:
    """A Celery worker of its own — prefork with `concurrency` children — consuming
    `queue` on `broker_url`. `beat=True` embeds the beat scheduler (the periodic sweep)."""

    def __init__(
        self,
        *,
        broker_url: str,
        media: Path,
        log_dir: Path,
        queue: str | None = None,
        concurrency: int = 1,
        beat: bool = False,
        env: dict | None = None,
    ):
        self.broker_url = broker_url
        self.queue = queue or f"test-{uuid.uuid4().hex[:8]}"
        self.log_dir = log_dir
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backancity.settings",
            "SECRET_KEY": "worker-test",
            "DATABASE_URL": database_url_for_worker(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "MEDIA_ROOT": str(media),
            "LOG_LEVEL": "INFO",
            **(env or {}),
        }
        self.command = [sys.executable, "-m", "celery", "-A", "backancity", "worker", "-Q", self.queue]
        self.command += ["-P", "prefork", "-c", str(concurrency), "-l", "INFO"]
        self.command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        if beat:
            self.command += ["-B", "--schedule", str(log_dir / f"beat-{uuid.uuid4().hex[:6]}")]
        self.process = None
        self.logs: list[Path] = []
        self.start()

    def start(self):
        log = self.log_dir / f"worker-{len(self.logs) + 1}.log"
        self.logs.append(log)
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                self.command, cwd=settings.BASE_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )

    def restart(self):
        """A new worker process in place of the old one (which must be gone)."""
        assert self.process.poll() is not None, "the previous worker is still running"
        self.start()

    def send(self, task, *args):
        """Publish a task straight to this worker's queue (bypassing the request path)."""
        from backancity.celery import app

        with app.connection_for_write(self.broker_url) as broker:
            task.apply_async(args=list(args), queue=self.queue, connection=broker)

    def children(self) -> list[int]:
        return children_of(self.process.pid)

    def kill_everything(self) -> list[int]:
        """SIGKILL the main process and all its children at once, as a crashed machine
        or the kernel's out-of-memory killer would; returns their pids."""
        pids = [self.process.pid, *descendants_of(self.process.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        for pid in pids[1:]:  # reaped by init; wait until they are really gone
            wait_until(lambda pid=pid: not Path(f"/proc/{pid}").exists() or _is_zombie(pid), timeout=10, what=f"{pid} gone")
        return pids

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for pid in [self.process.pid, *descendants_of(self.process.pid)]:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def log_text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-6000:]}" for log in self.logs if log.exists())


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def descendants_of(pid: int) -> list[int]:
    found = []
    for child in children_of(pid):
        found += [child, *descendants_of(child)]
    return found


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return True


class RedisServer:
    """A private redis-server on 127.0.0.1, without persistence (like CI's): stopping it
    loses every message it held, which is the worst case the drills must survive."""

    def __init__(self, log_dir: Path):
        if not Path(REDIS_SERVER).exists():
            raise RuntimeError("redis-server không có trên máy (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log_dir / f"redis-{self.port}.log"
        self.process = None
        self.start()

    def start(self):
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--logfile", str(self.log), "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, timeout=15, what=f"redis-server on port {self.port} answers")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _drop_broker_connections(app):
    """Forget the app's pooled broker connections, so the next publish connects to the
    broker configured now. Never close them: kombu keeps each URL's pool in a registry of
    its own and would hand the closed pool out again (even an eager task acquires a
    producer from it)."""
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Make this (test) process publish its tasks to `broker_url` through the ordinary
    path (`delay_on_commit`, the sweep) instead of running them eagerly."""
    from backancity.celery import app

    saved = {key: app.conf.get(key) for key in ("broker_write_url", "task_always_eager")}
    _drop_broker_connections(app)
    # The write URL: `broker_url` itself yields to the CELERY_BROKER_URL variable.
    app.conf.update(broker_write_url=broker_url, task_always_eager=False)
    try:
        yield app
    finally:
        _drop_broker_connections(app)
        app.conf.update(**saved)
