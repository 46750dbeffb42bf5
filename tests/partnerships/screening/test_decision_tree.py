"""The decision tree through the addresses a browser uses, without JavaScript: every branch and outcome."""

import pytest
from bs4 import BeautifulSoup

from partnerships.screening.models import Outcome, ScreeningRecord
from portal import roles

pytestmark = pytest.mark.django_db

START = "/intranet/decision-tree/"
NAME = START + "name/"
CHECK = START + "check-your-answers/"

# Seed 002's "what is not partnership" (D1 to D5), the definition (D6) and whether to join (D7, D8):
# the question, the answer that stops the tree, the outcome and words of the route to take instead.
STOPS = [
    ("D1", "yes", Outcome.NOT_A_PARTNERSHIP, "normal service planning and budget processes"),
    ("D2", "yes", Outcome.NOT_A_PARTNERSHIP, "consultation or engagement activity"),
    ("D3", "yes", Outcome.NOT_A_PARTNERSHIP, "outside bodies appointments process"),
    ("D4", "yes", Outcome.NOT_A_PARTNERSHIP, "commercial or legal services"),
    ("D5", "yes", Outcome.NOT_A_PARTNERSHIP, "procurement and contract procedure rules"),
    ("D6", "no", Outcome.NOT_A_PARTNERSHIP, "two or more independent bodies"),
    ("D7", "no", Outcome.DO_NOT_JOIN, "Discuss the proposal with your Head of Service"),
    ("D8", "no", Outcome.DO_NOT_JOIN, "Consider other ways of delivering the outcome"),
]
# The answers that carry on to the next question.
GO_ON = {"D1": "no", "D2": "no", "D3": "no", "D4": "no", "D5": "no", "D6": "yes", "D7": "yes", "D8": "yes"}


def question_url(code):
    return f"{START}questions/{code.lower()}/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def begin(client, name="Riverside regeneration group"):
    response = client.post(START + "start/")
    assert response.status_code == 302 and response["Location"] == NAME
    response = client.post(NAME, {"name": name})
    assert response.status_code == 302
    return response["Location"]


def answer_until(client, stop_code=None):
    """Answer from D1, carrying on, until ``stop_code`` gets its stopping answer; returns where that leads."""
    stopping = {code: answer for code, answer, _, _ in STOPS}
    codes = list(GO_ON)
    for index, code in enumerate(codes):
        answer = stopping[code] if code == stop_code else GO_ON[code]
        response = client.post(question_url(code), {"answer": answer})
        assert response.status_code == 302, response.content
        if code == stop_code:
            return response["Location"]
        following = question_url(codes[index + 1]) if index + 1 < len(codes) else CHECK
        assert response["Location"] == following
    return CHECK


@pytest.fixture
def lead(portal_site, make_user):
    return make_user(roles.STAFF, roles.LEAD_OFFICERS)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_the_start_page_opens_the_first_question_after_the_name(staff_client):
    page = staff_client.get(START)
    assert page.status_code == 200
    assert soup(page).h1.text == "Check whether it is a partnership"
    assert begin(staff_client) == question_url("D1")

    first = soup(staff_client.get(question_url("D1")))
    assert first.h1.text.strip() == "Will the council have direct control over the budget or decision making?"
    assert [radio["value"] for radio in first.select("input[type=radio][name=answer]")] == ["yes", "no"]
    assert first.select_one("a.govuk-back-link")["href"] == NAME


@pytest.mark.parametrize(("code", "answer", "outcome", "instead"), STOPS, ids=[stop[0] for stop in STOPS])
def test_each_stopping_answer_ends_the_tree_with_the_route_to_take_instead(
    staff_client, code, answer, outcome, instead
):
    begin(staff_client)
    assert answer_until(staff_client, code) == CHECK

    check = staff_client.get(CHECK)
    page = soup(check)
    asked = [key.select_one(".portal-question__code").text for key in page.select("dt") if key.select_one("span")]
    assert asked == list(GO_ON)[: list(GO_ON).index(code) + 1]  # nothing asked after the stop
    heading = page.select_one(".govuk-notification-banner__heading").text
    assert heading == (
        "This is not a partnership"
        if outcome == Outcome.NOT_A_PARTNERSHIP
        else "The council should not join this partnership"
    )
    assert instead in check.content.decode()

    saved = staff_client.post(CHECK)
    record = ScreeningRecord.objects.get()
    assert saved["Location"] == record.get_absolute_url()
    assert (record.outcome, record.stopped_at, record.answer_for(code)) == (outcome, code, answer)
    result = staff_client.get(saved["Location"])
    assert instead in result.content.decode()
    assert not soup(result).select("a.govuk-button--start")  # nothing to propose


def test_no_stopping_answer_is_a_partnership_the_council_may_join(lead_client, lead):
    begin(lead_client)
    assert answer_until(lead_client) == CHECK
    page = soup(lead_client.get(CHECK))
    assert page.select_one(".govuk-panel__title").text == "It is a partnership the council may join"
    assert len(page.select(".govuk-summary-list__row")) == 1 + len(GO_ON)

    lead_client.post(CHECK)
    record = ScreeningRecord.objects.get()
    assert (record.outcome, record.screened_by, record.name) == (
        Outcome.PARTNERSHIP,
        lead,
        "Riverside regeneration group",
    )
    assert [item["answer"] for item in record.answers] == list(GO_ON.values())
    # The session is cleared: the check page now sends the person back to the start of the tree.
    assert lead_client.get(CHECK)["Location"] == NAME


def test_an_unanswered_question_shows_an_error_and_stays(staff_client):
    begin(staff_client)
    response = staff_client.post(question_url("D1"), {})
    assert response.status_code == 200
    page = soup(response)
    assert page.title.text.startswith("Error: ")
    assert page.select_one(".govuk-error-summary a")["href"] == "#answer-yes"
    assert "Select yes or no" in page.select_one(".govuk-error-message").text
    blank = staff_client.post(NAME, {"name": "  "})
    assert "Enter the name of the arrangement" in blank.content.decode()


def test_nobody_skips_ahead_or_past_a_stop(staff_client):
    assert staff_client.get(question_url("D3"))["Location"] == NAME  # no name yet
    begin(staff_client)
    assert staff_client.get(question_url("D3"))["Location"] == question_url("D1")
    assert staff_client.get(CHECK)["Location"] == question_url("D1")
    staff_client.post(question_url("D1"), {"answer": "yes"})
    assert staff_client.get(question_url("D2"))["Location"] == CHECK
    assert staff_client.get(START + "questions/d99/").status_code == 404


def test_a_change_link_reopens_the_question_and_a_changed_answer_takes_the_new_branch(staff_client):
    begin(staff_client)
    answer_until(staff_client)  # every question answered: a partnership
    changes = [link["href"] for link in soup(staff_client.get(CHECK)).select(".govuk-summary-list__actions a")]
    assert changes == [NAME] + [question_url(code) for code in GO_ON]

    # D4 changed to yes: the arrangement is a commercial agreement and the later answers no longer count.
    reopened = soup(staff_client.get(question_url("D4")))
    assert reopened.select_one("input[value=no]").has_attr("checked")
    assert staff_client.post(question_url("D4"), {"answer": "yes"})["Location"] == CHECK
    check = soup(staff_client.get(CHECK))
    assert len(check.select(".portal-question__code")) == 4
    assert "commercial or legal services" in check.text

    # Changed back: the answers given before still stand, so it goes straight back to checking.
    assert staff_client.post(question_url("D4"), {"answer": "no"})["Location"] == CHECK
    assert soup(staff_client.get(CHECK)).select_one(".govuk-panel__title")

    # The name changed from the check page.
    assert staff_client.post(NAME, {"name": "Riverside Partnership Board"})["Location"] == CHECK
    staff_client.post(CHECK)
    assert ScreeningRecord.objects.get().name == "Riverside Partnership Board"


def test_back_links_lead_to_the_step_before(staff_client):
    begin(staff_client)
    answer_until(staff_client, "D3")
    back = soup(staff_client.get(question_url("D3"))).select_one("a.govuk-back-link")["href"]
    assert back == question_url("D2")
    assert soup(staff_client.get(CHECK)).select_one("a.govuk-back-link")["href"] == question_url("D3")
    assert soup(staff_client.get(NAME)).select_one("a.govuk-back-link")["href"] == START


def test_the_tree_is_for_intranet_users_only(client, portal_site):
    for path in (START, NAME, question_url("D1"), CHECK, START + "results/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    assert client.post(START + "start/")["Location"].startswith("/sign-in/")


def test_a_result_is_seen_by_who_answered_and_register_managers_only(client, staff_user, make_user, portal_site):
    record = ScreeningRecord.objects.create(name="Arts forum", screened_by=staff_user, outcome=Outcome.PARTNERSHIP)
    client.force_login(make_user(roles.STAFF))
    assert client.get(record.get_absolute_url()).status_code == 404
    assert b"Arts forum" not in client.get(START + "results/").content
    client.force_login(make_user(roles.STAFF, roles.REGISTER_MANAGERS))
    assert client.get(record.get_absolute_url()).status_code == 200
    client.force_login(staff_user)
    listing = client.get(START + "results/")
    assert soup(listing).select_one(f"a[href='{record.get_absolute_url()}']").text == "Arts forum"
