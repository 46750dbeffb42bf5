"""Settings come from the environment. Each case loads them in a fresh interpreter,
so the environment of the test run itself (REDIS_URL in CI, say) cannot leak in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/7"  # never connected to: only read back
# Variables the assertions below depend on; every case starts without them.
CONTROLLED = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "REDIS_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
SETTINGS_MODULES = ["portal.settings.base", "portal.settings.dev", "portal.settings.test", "portal.settings.production"]

# Prints the named Django settings, and what the Celery app actually reads from them.
PROBE = """
import json, sys
from django.conf import settings
from portal.celery import app
values = {name: getattr(settings, name) for name in sys.argv[1:]}
values["celery"] = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
print(json.dumps(values, default=str))
"""


def run_python(args, settings_module, **env):
    environ = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if settings_module.endswith(".production"):
        environ["SECRET_KEY"] = get_random_secret_key()
    environ.update(env)
    environ = {key: value for key, value in environ.items() if value is not None}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )


def load_settings(settings_module, *names, **env):
    result = run_python(["-c", PROBE, *names], settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_passes_the_deployment_checks():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "portal.settings.production",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="portal.example",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


@pytest.mark.parametrize("secret_key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_a_secret_key(secret_key):
    # run_python supplies a key for production; None takes it away again.
    result = run_python(
        ["-c", "from django.conf import settings; settings.DEBUG"],
        "portal.settings.production",
        SECRET_KEY=secret_key,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_base_settings_have_debug_off():
    assert load_settings("portal.settings.base", "DEBUG")["DEBUG"] is False


def test_production_keeps_debug_off_even_if_the_environment_asks():
    assert load_settings("portal.settings.production", "DEBUG", DEBUG="true")["DEBUG"] is False


@pytest.mark.parametrize("settings_module", SETTINGS_MODULES)
def test_without_redis_tasks_run_in_process_and_the_cache_is_local(settings_module):
    values = load_settings(settings_module, "CELERY_TASK_ALWAYS_EAGER", "CACHES")

    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    # The namespaced setting is the one Celery reads (the old CELERY_ALWAYS_EAGER is ignored).
    assert values["celery"]["task_always_eager"] is True
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("settings_module", SETTINGS_MODULES)
def test_with_redis_the_broker_and_the_cache_are_redis(settings_module):
    values = load_settings(
        settings_module, "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CACHES", REDIS_URL=REDIS_URL
    )

    # Unit tests stay in-process even with Redis; only the real-worker fixture turns it off.
    eager = settings_module == "portal.settings.test"
    assert values["CELERY_BROKER_URL"] == REDIS_URL
    assert values["celery"] == {"broker_url": REDIS_URL, "task_always_eager": eager}
    assert values["CELERY_TASK_ALWAYS_EAGER"] is eager
    cache = values["CACHES"]["default"]
    # Redis, through the backend that treats an unreachable Redis as a miss.
    assert cache["BACKEND"] == "portal.cache.DegradingRedisCache"
    assert cache["LOCATION"] == REDIS_URL
