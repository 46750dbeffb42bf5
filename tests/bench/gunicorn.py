"""gunicorn for the benchmarks: on a free port of 127.0.0.1, started and stopped by this process only."""

import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench import load

BASE_DIR = Path(__file__).resolve().parents[2]
WSGI_APP = "tests.bench.wsgi:application"


def free_port():
    with socket.socket() as probe:
        probe.bind((load.HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``gunicorn <app> <options>`` bound to a free port; its output in ``log_path``, or a temporary file."""

    def __init__(self, env, options, *, app=WSGI_APP, log_path=None, stop_timeout=30):
        self.port = free_port()
        self.stop_timeout = stop_timeout
        self.log = log_path.open("w+b") if log_path else tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable,
                *("-m", "gunicorn", app),
                *options,
                *("--bind", f"{load.HOST}:{self.port}"),
                *("--chdir", str(BASE_DIR)),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self):
        return self.process.pid

    def wait_until_up(self, path, timeout=60.0):
        """Itself once ``path`` answers; else gunicorn is stopped and the bench ends with its output."""
        if load.wait_until_up(self.port, path, timeout=timeout):
            return self
        output = self.output()
        self.stop()
        raise SystemExit("bench: gunicorn did not start:\n" + output)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn stops its workers on SIGTERM
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]
