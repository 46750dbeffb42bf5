"""No silent lost updates: a Save or Publish from a form older than the latest revision is refused.

Two register managers open the same entry; A publishes a change to its purpose; B, from the
form opened before that, publishes a change to its shared objective. B is told A changed it,
shown the latest version with B's change on top, and A's change survives. The same for pages.
"""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from partnerships.admin_views import LOCK_TAKEN_OVER
from partnerships.models import Partnership
from portal import roles
from portal.models import SectionPage
from tests.partnerships.factories import PartnershipFactory
from tests.workflows.factories import form_data, url


def named(user):
    return user.get_full_name()


@pytest.fixture
def managers(role_user):
    return (
        role_user(roles.REGISTER_MANAGERS, first_name="Anna", last_name="Alpha"),
        role_user(roles.REGISTER_MANAGERS, first_name="Ben", last_name="Beta"),
    )


@pytest.fixture
def entry(managers, portal_site):
    entry = PartnershipFactory(
        name="Community Safety Partnership", purpose="Original purpose.", shared_objective="Original objective."
    )
    entry.save_revision(user=managers[0]).publish(user=managers[0])
    return Partnership.objects.get(pk=entry.pk)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def error_messages(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(message.get_text(" ", strip=True) for message in soup.select(".messages .error"))


def test_a_publish_from_a_stale_entry_form_is_refused_naming_who_changed_it(managers, entry):
    anna, ben = client_for(managers[0]), client_for(managers[1])
    form_of_anna = form_data(anna.get(url("edit", entry.pk)))
    form_of_ben = form_data(ben.get(url("edit", entry.pk)))

    response = anna.post(url("edit", entry.pk), {**form_of_anna, "purpose": "Anna's purpose.", "action-publish": "1"})
    assert response.status_code == 302

    response = ben.post(
        url("edit", entry.pk), {**form_of_ben, "shared_objective": "Ben's objective.", "action-publish": "1"}
    )
    assert response.status_code == 200  # the form again, not a success
    message = error_messages(response)
    assert "Not saved" in message
    assert named(managers[0]) in message
    soup = BeautifulSoup(response.content, "html.parser")
    compare = soup.select_one(".messages .error a")
    assert "/revisions/compare/" in compare["href"]
    assert ben.get(compare["href"]).status_code == 200

    entry.refresh_from_db()
    assert entry.purpose == "Anna's purpose."  # Anna's change survives
    assert entry.shared_objective == "Original objective."  # and nothing of Ben's stale form was saved

    # The form shown again holds the latest version with Ben's change on top: publishing it keeps both.
    again = form_data(response)
    # (Django writes a newline after <textarea>, which a browser drops.)
    assert again["purpose"].strip() == "Anna's purpose."
    assert again["shared_objective"].strip() == "Ben's objective."
    response = ben.post(url("edit", entry.pk), {**again, "action-publish": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.purpose, entry.shared_objective) == ("Anna's purpose.", "Ben's objective.")


def test_a_stale_save_as_draft_is_refused_too(managers, entry):
    anna, ben = client_for(managers[0]), client_for(managers[1])
    form_of_ben = form_data(ben.get(url("edit", entry.pk)))
    assert (
        anna.post(
            url("edit", entry.pk), {**form_data(anna.get(url("edit", entry.pk))), "purpose": "Anna's."}
        ).status_code
        == 302
    )

    response = ben.post(url("edit", entry.pk), {**form_of_ben, "shared_objective": "Ben's."})
    assert response.status_code == 200
    assert named(managers[0]) in error_messages(response)
    latest = Partnership.objects.get(pk=entry.pk).get_latest_revision_as_object()
    assert (latest.purpose, latest.shared_objective) == ("Anna's.", "Original objective.")


def test_an_up_to_date_form_saves_as_before(managers, entry):
    ben = client_for(managers[1])
    response = ben.post(url("edit", entry.pk), {**form_data(ben.get(url("edit", entry.pk))), "purpose": "New."})
    assert response.status_code == 302
    assert Partnership.objects.get(pk=entry.pk).get_latest_revision_as_object().purpose == "New."


def test_taking_over_another_managers_lock_is_in_the_entrys_history(managers, entry):
    anna, ben = client_for(managers[0]), client_for(managers[1])
    assert anna.post(url("lock", entry.pk)).status_code == 302
    assert Partnership.objects.get(pk=entry.pk).locked_by == managers[0]

    assert ben.post(url("unlock", entry.pk)).status_code == 302
    assert ben.post(url("lock", entry.pk)).status_code == 302
    assert Partnership.objects.get(pk=entry.pk).locked_by == managers[1]

    history = ben.get(url("history", entry.pk)).content.decode()
    assert f"Took over the lock held by {named(managers[0])}" in history
    # Unlocking one's own lock is not a takeover.
    assert ben.post(url("unlock", entry.pk)).status_code == 302
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action=LOCK_TAKEN_OVER, object_id=str(entry.pk)).count() == 1


# --- Pages ---


def page_form_data(response):
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("form#page-edit-form")
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or "__prefix__" in name or element.find_parent("template") or element.has_attr("disabled"):
            continue
        kind = element.get("type", "text")
        if kind in {"submit", "button", "file"} or (kind in {"checkbox", "radio"} and not element.has_attr("checked")):
            continue
        if element.name == "select":
            selected = element.find("option", selected=True)
            data[name] = selected.get("value", "") if selected else ""
        else:
            data[name] = element.text if element.name == "textarea" else element.get("value", "")
    data.setdefault("body-count", "0")
    return data


@pytest.fixture
def moderators(make_user, portal_site):
    return (
        make_user(roles.STAFF, roles.MODERATORS, first_name="Mia", last_name="Moderator"),
        make_user(roles.STAFF, roles.MODERATORS, first_name="Max", last_name="Moderator"),
    )


@pytest.fixture
def section(portal_site, moderators):
    page = SectionPage(title="Concurrent section", slug="concurrent-section", summary="Original summary.")
    portal_site.add_child(instance=page)
    page.save_revision(user=moderators[0]).publish(user=moderators[0])
    return page


def test_a_publish_from_a_stale_page_form_is_refused_naming_who_changed_it(moderators, section):
    mia, max_ = client_for(moderators[0]), client_for(moderators[1])
    edit_url = reverse("wagtailadmin_pages:edit", args=[section.pk])
    form_of_mia = page_form_data(mia.get(edit_url))
    form_of_max = page_form_data(max_.get(edit_url))
    assert form_of_max["loaded_revision_id"]

    response = mia.post(edit_url, {**form_of_mia, "summary": "Mia's summary.", "action-publish": "1"})
    assert response.status_code == 302

    response = max_.post(edit_url, {**form_of_max, "title": "Max's title", "action-publish": "1"})
    assert response.status_code == 200
    message = error_messages(response)
    assert named(moderators[0]) in message and "Not saved" in message
    compare = BeautifulSoup(response.content, "html.parser").select_one(".messages .error a")["href"]
    assert max_.get(compare).status_code == 200

    page = Page.objects.get(pk=section.pk).specific
    assert (page.title, page.summary) == ("Concurrent section", "Mia's summary.")

    again = page_form_data(response)
    assert (again["title"], again["summary"].strip()) == ("Max's title", "Mia's summary.")
    assert max_.post(edit_url, {**again, "action-publish": "1"}).status_code == 302
    page = Page.objects.get(pk=section.pk).specific
    assert (page.title, page.summary) == ("Max's title", "Mia's summary.")
