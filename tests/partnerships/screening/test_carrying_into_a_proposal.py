"""A lead officer carries a decision tree result straight into the proposal form, answers filled in."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from partnerships.screening.models import Outcome, ScreeningRecord
from portal import roles
from portal.models import QuestionSet

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_partnerships_partnership:add"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def tree_answers(stop_code=None):
    answers = []
    for question in QuestionSet.objects.get(kind=QuestionSet.Kind.DECISION_TREE).questions.all():
        carry_on = "no" if question.stops_when == "yes" else "yes"
        answer = question.stops_when if question.code == stop_code else carry_on
        answers.append(
            {"question_id": question.pk, "code": question.code, "section": "", "text": question.text, "answer": answer}
        )
        if question.code == stop_code:
            break
    return answers


@pytest.fixture
def lead(portal_site, make_user):
    return make_user(roles.STAFF, roles.LEAD_OFFICERS)


def passed(person, name="Riverside regeneration group"):
    return ScreeningRecord.objects.create(
        name=name, screened_by=person, outcome=Outcome.PARTNERSHIP, answers=tree_answers()
    )


def checked_screening(form_page):
    return {radio["name"]: radio["value"] for radio in form_page.select("input[type=radio][name^=screening-][checked]")}


def test_the_result_page_offers_the_proposal_form_with_the_answers_filled_in(client, lead):
    record = passed(lead)
    client.force_login(lead)
    result = soup(client.get(record.get_absolute_url()))
    start = result.select_one("a.govuk-button--start")
    assert start["href"] == f"{reverse(ADD)}?screening={record.pk}"

    form = soup(client.get(start["href"]))
    assert form.select_one("input[name=name]")["value"] == "Riverside regeneration group"
    expected = {f"screening-{item['question_id']}": item["answer"] for item in record.answers}
    assert checked_screening(form) == expected
    assert len(expected) == 8


def test_the_proposal_form_without_a_screening_starts_blank(client, lead):
    client.force_login(lead)
    form = soup(client.get(reverse(ADD)))
    assert checked_screening(form) == {}
    assert not form.select_one("input[name=name]").get("value")


def test_nobody_carries_someone_elses_result_or_one_that_stopped(client, lead, make_user):
    other = make_user(roles.STAFF, roles.LEAD_OFFICERS)
    theirs = passed(other, "Their forum")
    stopped = ScreeningRecord.objects.create(
        name="Cleaning contract",
        screened_by=lead,
        outcome=Outcome.NOT_A_PARTNERSHIP,
        answers=tree_answers("D5"),
        stopped_at="D5",
    )
    client.force_login(lead)
    for record in (theirs, stopped):
        form = soup(client.get(f"{reverse(ADD)}?screening={record.pk}"))
        assert checked_screening(form) == {}
        assert not form.select_one("input[name=name]").get("value")
    assert not soup(client.get(stopped.get_absolute_url())).select("a.govuk-button--start")


def test_staff_who_may_not_propose_are_told_who_can(staff_client, staff_user):
    record = passed(staff_user)
    page = staff_client.get(record.get_absolute_url())
    assert not soup(page).select("a.govuk-button--start")
    assert b"Lead officers propose new partnerships in the portal" in page.content
