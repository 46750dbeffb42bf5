"""Things the outbox fault tests break on purpose, all private to the test and on 127.0.0.1.

``FakeSMTP``
    An SMTP server in a thread of the test process that keeps every message it accepts
    (with its Message-ID) and can be told to refuse (451) for a while, or to stall: hold
    back its answer to a message it has received until ``released`` is set.
``PrivateRedis``
    A redis-server of the test's own on a free port, to stop, restart, freeze (SIGSTOP)
    and thaw; never the shared one.
``TcpProxy``
    A relay from a local port to PostgreSQL that can be cut (every connection dropped,
    new ones refused) and restored: a database outage for the worker alone, without
    touching the shared server.
"""

import contextlib
import email
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import redis


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- A fake mail server -------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        smtp = self.server.smtp
        self.reply("220 fake-smtp ESMTP")
        recipients, lines, in_data = [], [], False
        while line := self.rfile.readline():
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    if smtp.refusing:
                        self.reply("451 4.3.0 Try again later")
                    else:
                        smtp.accept(b"".join(lines), recipients)
                        self.reply("250 2.0.0 Accepted")
                    recipients, lines = [], []
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command in {b"EHLO", b"HELO"}:
                self.reply("250 fake-smtp")
            elif command == b"RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 2.1.5 OK")
            elif command == b"DATA":
                in_data = True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif command == b"QUIT":
                self.reply("221 2.0.0 Bye")
                return
            elif command in {b"MAIL", b"RSET", b"NOOP"}:
                self.reply("250 2.0.0 OK")
            else:
                self.reply("502 5.5.2 Not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeSMTP:
    def __init__(self):
        self.messages = []  # (Message-ID, recipient, subject)
        self.refusing = False
        self.stalling = False
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _SMTPHandler)
        self._server.smtp = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def accept(self, data, recipients):
        message = email.message_from_bytes(data)
        with self._lock:
            for recipient in recipients:
                self.messages.append((message["Message-ID"], recipient, message["Subject"]))
        if self.stalling:
            self.released.wait(timeout=30)

    def received(self):
        with self._lock:
            return list(self.messages)

    def message_ids(self):
        return Counter(message_id for message_id, _, _ in self.received())

    def reset(self):
        with self._lock:
            self.messages.clear()
        self.refusing = False
        self.stalling = False
        self.released.clear()

    def close(self):
        self.released.set()
        self._server.shutdown()
        self._server.server_close()


# --- A Redis of the test's own ------------------------------------------------------------------


class PrivateRedis:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.frozen = False

    def start(self, timeout=10):
        command = [
            shutil.which("redis-server") or "redis-server",
            *("--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
            *("--dir", str(self.directory), "--daemonize", "no"),
        ]
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.05)
        client.close()
        return self

    def stop(self):
        """Gone, with everything queued in it (no persistence): as a Redis that crashed."""
        if self.process and self.process.poll() is None:
            if self.frozen:
                self.thaw()
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)


# --- A database connection that can be cut -------------------------------------------------------


class TcpProxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, int(upstream_port))
        self.port = free_port()
        self._sockets = set()
        self._lock = threading.Lock()
        self._listener = None
        self.open()

    def open(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update({client, upstream})
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock):
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self):
        """Drop every connection and refuse new ones: the database is gone, for whoever uses this port."""
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

    def close(self):
        self.cut()
