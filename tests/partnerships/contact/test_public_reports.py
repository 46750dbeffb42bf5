"""Reporting a problem with an entry, and feedback: the forms, what register managers receive, the admin list."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from partnerships.models import PublicReport
from portal import roles
from tests.partnerships.factories import public_entry
from workflows import public_reports
from workflows.models import Notification

pytestmark = pytest.mark.django_db

THROTTLE_KEY = "public-report:127.0.0.1"
LIST_URL = "/admin/snippets/partnerships/publicreport/"


@pytest.fixture(autouse=True)
def fresh_limit():
    cache.delete(THROTTLE_KEY)
    yield
    cache.delete(THROTTLE_KEY)


@pytest.fixture
def entry(portal_site):
    return public_entry(name="Wyre Forest Community Safety Partnership", slug="wyre-forest-csp")


@pytest.fixture
def managers(role_user):
    return [role_user(roles.REGISTER_MANAGERS, email=f"manager{n}@council.example") for n in range(2)]


def report_url(entry):
    return f"/report-a-problem/{entry.slug}/"


def test_each_entry_page_links_to_the_form_and_stays_cacheable(client, entry):
    response = client.get(f"/partnerships/{entry.slug}/")
    body = response.content.decode()
    assert f'href="{report_url(entry)}"' in body
    assert "Report a problem with this entry" in body
    assert "csrfmiddlewaretoken" not in body
    assert not response.cookies  # no CSRF cookie, nothing that would stop a cache


def test_the_form_is_on_its_own_address_with_a_csrf_token_never_cached(client, entry):
    response = client.get(report_url(entry))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Report a problem with this entry" in body and entry.name in body
    assert "csrfmiddlewaretoken" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_post_without_the_csrf_token_is_refused(entry, managers):
    response = Client(enforce_csrf_checks=True).post(report_url(entry), {"message": "Wrong date"})
    assert response.status_code == 403
    assert not PublicReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"message": "", "email": ""}, {"message": "Enter what is wrong"}),
        ({"message": "   ", "email": "someone@example.com"}, {"message": "Enter what is wrong"}),
        (
            {"message": "The chair has changed", "email": "not-an-email"},
            {"email": "Enter an email address in the correct format, like name@example.com"},
        ),
        (
            {"message": "", "email": "nope@"},
            {
                "message": "Enter what is wrong",
                "email": "Enter an email address in the correct format, like name@example.com",
            },
        ),
        ({"message": "x" * 2001}, {"message": "What is wrong must be 2000 characters or fewer"}),
    ],
)
def test_each_field_shows_its_own_error(client, entry, managers, data, errors):
    response = client.post(report_url(entry), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error:" in body and "There is a problem" in body
    for field, message in errors.items():
        assert f'<a href="#id_{field}">{message}</a>' in body  # in the error summary, linking to the field
        assert f'id="id_{field}-error"' in body
    for field in {"message", "email"} - errors.keys():
        assert f'id="id_{field}-error"' not in body
    assert not PublicReport.objects.exists() and not mail.outbox


def test_a_report_reaches_each_register_manager_once_and_shows_a_confirmation(
    client, entry, managers, role_user, django_capture_on_commit_callbacks
):
    role_user(roles.LEAD_OFFICERS)
    role_user(roles.MANAGEMENT_BOARD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(entry), {"message": "The chair is now Ms Patel", "email": "r@example.com"})
    assert response.status_code == 302 and response["Location"] == f"{report_url(entry)}sent/"
    confirmation = client.get(response["Location"]).content.decode()
    assert "Report sent" in confirmation and entry.name in confirmation

    report = PublicReport.objects.get()
    assert (report.kind, report.partnership, report.entry_name) == ("correction", entry, entry.name)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in managers)
    message = mail.outbox[0]
    assert entry.name in message.subject
    assert "The chair is now Ms Patel" in message.body and "r@example.com" in message.body
    assert f"{LIST_URL}" in message.body
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 2


def test_the_same_report_is_never_recorded_twice_for_a_manager(entry, managers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = PublicReport.objects.create(kind="correction", partnership=entry, entry_name=entry.name, message="x")
        # The signal again (a retried save, say): the outbox's key refuses a second row.
        public_reports.tell_register_managers(PublicReport, report, created=True)
    assert Notification.objects.filter(object_id=str(report.pk)).count() == 2
    assert len(mail.outbox) == 2


def test_a_robot_filling_the_hidden_field_sees_the_confirmation_and_nothing_is_sent(client, entry, managers):
    response = client.post(report_url(entry), {"message": "Cheap pills", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not PublicReport.objects.exists() and not mail.outbox


def test_one_client_may_send_only_so_many_an_hour(client, entry, managers, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 2
    for n in range(2):
        assert client.post(report_url(entry), {"message": f"Problem {n}"}).status_code == 302
    refused = client.post(report_url(entry), {"message": "Problem 3"})
    assert refused.status_code == 429
    assert "You have sent too many messages" in refused.content.decode()
    assert PublicReport.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(report_url(entry), {"message": "From elsewhere"}).status_code == 302


def test_no_form_for_an_entry_that_is_not_public(client, portal_site):
    draft = public_entry(name="Not yet published", slug="draft-entry", publish=False, is_public=False)
    assert client.get(report_url(draft)).status_code == 404
    assert client.post(report_url(draft), {"message": "x"}).status_code == 404


def test_the_beta_banner_links_to_feedback_that_reaches_the_managers(
    client, portal_site, managers, django_capture_on_commit_callbacks
):
    home = client.get("/").content.decode()
    assert 'href="/feedback/"' in home
    empty = client.post("/feedback/", {"message": ""})
    assert empty.status_code == 400
    assert '<a href="#id_message">Enter what you would like to tell us</a>' in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/feedback/", {"message": "The register is easy to search"})
    assert response.status_code == 302 and response["Location"] == "/feedback/sent/"
    assert "Feedback sent" in client.get("/feedback/sent/").content.decode()
    assert PublicReport.objects.get().kind == "feedback"
    assert len(mail.outbox) == 2 and "feedback" in mail.outbox[0].subject


def test_the_cookies_page_is_in_the_footer_and_names_what_is_set(client, portal_site, settings):
    home = client.get("/")
    assert 'href="/cookies/"' in home.content.decode()
    assert not home.cookies  # reading public pages sets no cookie
    body = client.get("/cookies/").content.decode().replace("<wbr>", "")
    for name in (settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME, "messages", "wagtail_sidebar_collapsed"):
        assert f">{name}</th>" in body
    assert "Cookies and privacy" in body and "We do not use analytics cookies" in body


# --- The admin list, for register managers only ---


@pytest.fixture
def report(entry):
    return PublicReport.objects.create(
        kind="correction", partnership=entry, entry_name=entry.name, message="Partner list is out of date"
    )


ROLES = {
    "register manager": (roles.REGISTER_MANAGERS,),
    "lead officer": (roles.LEAD_OFFICERS,),
    "Head of Service": (roles.HEADS_OF_SERVICE,),
    "Board member": (roles.MANAGEMENT_BOARD,),
}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_only_register_managers_see_the_list_and_resolve(client, role_user, report, role):
    if role != "anonymous":
        client.force_login(role_user(*ROLES[role]))
    allowed = role == "register manager"
    listing = client.get(LIST_URL)
    assert (listing.status_code == 200 and "Partner list is out of date" in listing.content.decode()) is allowed
    resolve_url = f"{LIST_URL}resolve/{report.pk}/"
    assert (client.get(resolve_url).status_code == 200) is allowed
    response = client.post(resolve_url)
    report.refresh_from_db()
    assert report.is_resolved is allowed
    if allowed:
        assert response.status_code == 302
        assert "Partner list is out of date" not in client.get(LIST_URL).content.decode()
    else:
        assert response.status_code in {302, 403}
        assert response.status_code == 403 or "/login/" in response["Location"] or response["Location"] == "/admin/"


def test_the_list_offers_resolve_and_shows_only_unresolved(client, register_manager, report, entry):
    PublicReport.objects.create(kind="feedback", message="Already dealt with", resolved_at="2026-01-01T00:00Z")
    client.force_login(register_manager)
    body = client.get(LIST_URL).content.decode()
    assert f"{LIST_URL}resolve/{report.pk}/" in body
    assert "Already dealt with" not in body
