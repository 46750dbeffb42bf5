"""Knowledge checks: answers hidden until marked, a score against the pass mark, feedback, a pass completes."""

import datetime

import pytest
import time_machine
from django.test import Client

from portal.models import TrainingAttempt, TrainingCompletion, TrainingPage
from portal.roles import MEMBERS, STAFF
from tests.portal.factories import csrf_client, csrf_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(portal_site):
    return TrainingPage.objects.live().get(slug="introduction-to-the-framework")


def check_url(module):
    return module.url + "check/"


def answer(client, module, right):
    """Submit the module's check with the first ``right`` questions answered correctly, the rest wrongly."""
    html = client.get(check_url(module)).content.decode()
    data = {"csrfmiddlewaretoken": csrf_token(html)}
    for number, question in enumerate(module.check_questions.all()):
        wrong = next(choice for choice in question.choice_list if choice != question.correct_answer)
        data[f"q{question.pk}"] = question.correct_answer if number < right else wrong
    return client.post(check_url(module), data)


def test_the_module_offers_the_check_and_no_answers(module, make_user):
    client = csrf_client(make_user(STAFF))
    page = client.get(module.url).content.decode()
    assert "Start the knowledge check" in page
    assert "I have read and understood" not in page
    question = module.check_questions.first()
    assert question.feedback not in page

    form = client.get(check_url(module))
    html = form.content.decode()
    assert form.status_code == 200
    assert "<title>Knowledge check: Introduction" in html
    assert question.text.replace("'", "&#x27;") in html
    # The choices are there; which is right, and why, is not.
    assert question.feedback not in html
    assert html.count('type="radio"') == sum(len(q.choice_list) for q in module.check_questions.all())


def test_a_pass_records_completion_with_date_and_score(module, make_user):
    member = make_user(MEMBERS, first_name="Carys", last_name="Councillor")
    client = csrf_client(member)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 10, 0, tzinfo=datetime.UTC)):
        response = answer(client, module, right=3)
    attempt = TrainingAttempt.objects.get()
    assert response.status_code == 302
    assert response.url == f"{module.url}check/result/{attempt.pk}/"
    assert (attempt.correct, attempt.total, attempt.score, attempt.passed) == (3, 4, 75, True)

    result = client.get(response.url).content.decode()
    assert "You passed" in result
    assert "Your score: 75%" in result
    assert result.count("Not right") == 1 and result.count(">Right<") == 3
    for question in module.check_questions.all():
        assert question.feedback.replace("'", "&#x27;") in result
    completion = TrainingCompletion.objects.get(user=member, page=module)
    assert (completion.completed_on, completion.score) == (datetime.date(2026, 11, 3), 75)

    page = client.get(module.url).content.decode()
    assert "You passed this module on 3 November 2026 with 75%." in page
    assert "Your refresher is due by 3 November 2027." in page


def test_a_fail_records_no_completion_and_offers_a_retake(module, make_user):
    officer = make_user(STAFF)
    client = csrf_client(officer)
    response = answer(client, module, right=2)
    result = client.get(response.url).content.decode()
    assert "You did not pass this time" in result
    assert "Your score: 50% (2 of 4 right). The pass mark is 75%." in result
    assert "Retake the knowledge check" in result
    first_wrong = list(module.check_questions.all())[2]
    assert "Right answer" in result and first_wrong.correct_answer.replace("'", "&#x27;") in result
    assert not TrainingCompletion.objects.filter(user=officer).exists()

    page = client.get(module.url).content.decode()
    assert "You scored 50%" in page and "Retake the knowledge check" in page

    retake = answer(client, module, right=4)
    assert "Your score: 100%" in client.get(retake.url).content.decode()
    assert TrainingCompletion.objects.get(user=officer).score == 100
    assert TrainingAttempt.objects.filter(user=officer).count() == 2


def test_unanswered_questions_are_errors_not_marks(module, make_user):
    client = csrf_client(make_user(STAFF))
    html = client.get(check_url(module)).content.decode()
    response = client.post(check_url(module), {"csrfmiddlewaretoken": csrf_token(html)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Knowledge check" in page
    assert "There is a problem" in page
    assert "Select an answer to this question 1" in page
    first = module.check_questions.first()
    assert f'href="#id_q{first.pk}_0"' in page and f'id="id_q{first.pk}_0"' in page
    assert TrainingAttempt.objects.count() == 0


def test_a_refresher_retake_moves_the_completion_date_on(module, make_user):
    officer = make_user(STAFF)
    client = csrf_client(officer)
    with time_machine.travel(datetime.datetime(2025, 6, 1, 10, 0, tzinfo=datetime.UTC)):
        answer(client, module, right=4)
    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)):
        page = client.get(module.url).content.decode()
        assert "Your annual refresher was due on 1 June 2026" in page
        answer(client, module, right=3)
    completion = TrainingCompletion.objects.get(user=officer)
    assert (completion.completed_on, completion.score) == (datetime.date(2026, 7, 1), 75)


def test_results_are_private_and_the_check_needs_a_sign_in(module, make_user, client):
    owner = csrf_client(make_user(STAFF))
    result_url = answer(owner, module, right=4).url
    other = Client()
    other.force_login(make_user(STAFF))
    assert other.get(result_url).status_code == 404
    anonymous = client.get(check_url(module))
    assert anonymous.status_code == 302 and anonymous.url.startswith("/sign-in/")
    forged = csrf_client(make_user(STAFF)).post(check_url(module), {})
    assert forged.status_code == 403
