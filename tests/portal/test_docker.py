"""The container setup, checked by reading docker/ (no Docker engine is needed)."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

DOCKER_DIR = Path(__file__).resolve().parents[2] / "docker"
APP_SERVICES = ["migrate", "web", "worker", "beat"]
# Compose interpolation with a required value, e.g. ${SECRET_KEY:?set SECRET_KEY}.
REQUIRED_FROM_ENVIRONMENT = re.compile(r"^\$\{(?P<name>[A-Z_]+):\?[^}]*\}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|API_KEY")
# Interpolation with no fallback, an empty one or an error, e.g. ${EMAIL_HOST_PASSWORD:-}:
# never a default value, which would be a secret written in the file.
FROM_ENVIRONMENT = re.compile(r"^\$\{[A-Z_]+(:?-|:?\?[^}]*)?\}$")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DOCKER_DIR / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    """Instructions of docker/Dockerfile as (INSTRUCTION, arguments), continuation lines joined."""
    text = (DOCKER_DIR / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def command_words(command):
    return shlex.split(command) if isinstance(command, str) else list(command)


def environment(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def test_every_service_is_defined(services):
    assert {"db", "redis", "mailpit", "migrate", "web", "worker", "beat"} <= set(services)


def test_app_services_build_the_one_dockerfile(services):
    builds = {name: services[name]["build"] for name in APP_SERVICES}
    assert all(build == {"context": "..", "dockerfile": "docker/Dockerfile"} for build in builds.values()), builds
    # One image name, so compose builds it once and every process runs the same code.
    assert len({services[name]["image"] for name in APP_SERVICES}) == 1


def test_build_context_resolves_to_the_repository(services):
    context = DOCKER_DIR / services["web"]["build"]["context"]
    assert (context / services["web"]["build"]["dockerfile"]).resolve() == (DOCKER_DIR / "Dockerfile").resolve()
    assert (context / "manage.py").exists()


def test_worker_runs_a_celery_worker_for_the_portal_app(services):
    words = command_words(services["worker"]["command"])
    assert words[0] == "celery"
    assert words[words.index("-A") + 1] == "portal"
    assert "worker" in words


def test_beat_runs_celery_beat_for_the_portal_app(services):
    words = command_words(services["beat"]["command"])
    assert words[:4] == ["celery", "-A", "portal", "beat"]
    # The image's working directory is read-only to the app user: the schedule goes in var/.
    schedule = words[words.index("--schedule") + 1]
    assert schedule.startswith("/app/var/")


def test_migrate_is_a_one_off_release_step(services):
    migrate = services["migrate"]
    command = " ".join(command_words(migrate["command"]))
    assert "manage.py migrate --noinput" in command
    assert "manage.py setup_portal" in command
    assert command.index("migrate --noinput") < command.index("setup_portal")
    assert migrate["restart"] == "no"


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_processes_start_after_the_release_step_and_healthy_services(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_web_runs_the_image_default_gunicorn_command(services, dockerfile):
    web = services["web"]
    if "command" in web:
        assert command_words(web["command"])[0] == "gunicorn"
    else:
        (cmd,) = [arguments for keyword, arguments in dockerfile if keyword == "CMD"]
        assert "gunicorn" in cmd


@pytest.mark.parametrize(
    "name, probe",
    [("db", "pg_isready"), ("redis", "redis-cli ping"), ("web", "/healthz")],
)
def test_services_have_health_checks(services, name, probe):
    healthcheck = services[name]["healthcheck"]
    assert not healthcheck.get("disable")
    test = " ".join(command_words(healthcheck["test"]))
    if name == "web":
        # The web probe is a script in the image that requests /healthz.
        script = DOCKER_DIR / Path(test.split()[-1]).name
        assert probe in script.read_text()
    else:
        assert probe in test


@pytest.mark.parametrize("name", ["worker", "beat", "migrate"])
def test_non_web_processes_override_the_image_http_health_check(services, name):
    # Otherwise they inherit the image's HEALTHCHECK on :8000, where nothing listens.
    healthcheck = services[name]["healthcheck"]
    assert healthcheck.get("disable") or "/healthz" not in " ".join(command_words(healthcheck["test"]))


def test_app_services_use_production_settings_and_mailpit(services):
    for name in APP_SERVICES:
        env = environment(services[name])
        assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
        for key in ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
            assert env[key], (name, key)
        assert "mailpit" in env["EMAIL_HOST"]
        assert "1025" in str(env["EMAIL_PORT"])
        assert "false" in env["SECURE_SSL_REDIRECT"]


def test_mailpit_offers_smtp_and_its_web_ui(services):
    mailpit = services["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    published = " ".join(str(port) for port in mailpit.get("ports", []) + mailpit.get("expose", []))
    assert "1025" in published
    assert "8025" in published


def test_media_is_kept_in_a_named_volume(compose, services):
    assert "media" in compose["volumes"]
    for name in ("web", "worker"):
        assert any(volume.startswith("media:") for volume in services[name]["volumes"])


def test_secret_key_comes_from_the_environment(services):
    for name in APP_SERVICES:
        match = REQUIRED_FROM_ENVIRONMENT.match(environment(services[name])["SECRET_KEY"])
        assert match and match["name"] == "SECRET_KEY", name


def test_no_secret_is_written_in_the_compose_file(services):
    for name, service in services.items():
        for key, value in environment(service).items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert FROM_ENVIRONMENT.match(value), f"{name}.{key} is a literal"
            # A password inside a URL (scheme://user:password@host) must be interpolated too.
            credentials = re.match(r"^\w+://[^:/@]+:(?P<password>[^@]*)@", value)
            if credentials:
                assert FROM_ENVIRONMENT.match(credentials["password"]), f"{name}.{key} has a literal password"


def test_dockerfile_is_multi_stage(dockerfile):
    stages = [arguments for keyword, arguments in dockerfile if keyword == "FROM"]
    assert len(stages) >= 2
    assert stages[-1].startswith("python:3.11-slim")
    # The final stage takes the virtualenv built in an earlier one.
    assert any(keyword == "COPY" and arguments.startswith("--from=") for keyword, arguments in dockerfile)


def test_dockerfile_installs_the_locked_dependencies(dockerfile):
    runs = " ".join(arguments for keyword, arguments in dockerfile if keyword == "RUN")
    assert "requirements.lock" in runs


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [arguments for keyword, arguments in dockerfile if keyword == "USER"]
    assert users, "no USER instruction: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_collects_static_files_with_production_settings(dockerfile):
    env = " ".join(arguments for keyword, arguments in dockerfile if keyword == "ENV")
    assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in env
    # The build-time key is a throwaway, passed to one RUN only and never baked in with ENV.
    assert "SECRET_KEY" not in env
    assert any("collectstatic" in arguments for keyword, arguments in dockerfile if keyword == "RUN")


def test_dockerfile_has_a_health_check_and_serves_gunicorn_on_8000(dockerfile):
    keywords = dict(dockerfile)
    assert "HEALTHCHECK" in keywords
    assert keywords["EXPOSE"] == "8000"
    cmd = [arguments for keyword, arguments in dockerfile if keyword == "CMD"][-1]
    assert "gunicorn" in cmd
    assert "portal.wsgi:application" in cmd
    assert "0.0.0.0:8000" in cmd


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    patterns = {
        line.strip()
        for line in (DOCKER_DIR / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "var", ".git", "**/node_modules", "**/.env"} <= patterns
