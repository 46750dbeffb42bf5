"""Container health check: exit 0 when gunicorn answers /healthz with 200, 1 otherwise.

Django rejects a Host header that is not in ALLOWED_HOSTS, so the request names the
first allowed host rather than 127.0.0.1, which production does not list.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header():
    for host in os.environ.get("ALLOWED_HOSTS", "localhost").split(","):
        host = host.strip().lstrip(".")  # ".council.example" allows council.example too
        if host and host != "*":
            return host
    return "localhost"


def main():
    request = urllib.request.Request("http://127.0.0.1:8000/healthz", headers={"Host": host_header()})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (a fixed http:// URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthz: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
