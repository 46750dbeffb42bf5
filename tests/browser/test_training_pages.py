"""Awareness training in a real browser: the index's progress, a knowledge check, its errors, pass and fail.

Each page and state: WCAG 2.2 AA (axe), one h1, its own title, no sideways scrolling at 320 px.
Works without JavaScript: the check is a plain form post.
"""

import pytest
from django.conf import settings

from portal.roles import MEMBERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

INDEX = "/intranet/training/"
MODULE = "/intranet/training/introduction-to-the-framework/"


def reflows_at_320(page):
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return overflow <= 0


def answer(page, right):
    """Choose the right answer (read from the database, never the page) for the first ``right`` questions."""
    from portal.models import TrainingPage

    module = TrainingPage.objects.get(url_path__endswith="/introduction-to-the-framework/")
    for number, question in enumerate(module.check_questions.all()):
        wanted = question.correct_answer if number < right else question.choice_list[-1]
        if wanted == question.correct_answer and number >= right:
            wanted = question.choice_list[0]
        page.get_by_label(wanted, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()


def test_a_councillor_fails_then_passes_a_knowledge_check(page, site, make_user, sign_in_as, assert_accessible):
    councillor = make_user(MEMBERS, first_name="Carys", last_name="Councillor")
    sign_in_as(councillor, INDEX)
    titles = {}

    def check(state):
        assert page.locator("h1").count() == 1, state
        assert reflows_at_320(page), state
        assert_accessible(page)
        titles[state] = page.title()

    assert page.locator(".portal-training-progress").get_by_text("Not started").count() == 4
    check("index, not started")

    page.goto(site + MODULE)
    check("module")
    page.get_by_role("button", name="Start the knowledge check").click()
    check("knowledge check")

    page.get_by_role("button", name="Submit answers").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    check("knowledge check with errors")

    answer(page, right=1)
    assert page.get_by_role("heading", name="You did not pass this time").is_visible()
    check("failed")

    page.get_by_role("button", name="Retake the knowledge check").click()
    answer(page, right=4)
    assert page.get_by_role("heading", name="You passed").is_visible()
    check("passed")

    page.goto(site + INDEX)
    progress = page.locator(".portal-training-progress")
    assert progress.get_by_text("Completed", exact=True).count() == 1
    assert progress.get_by_text("score 100%").count() == 1
    check("index, one completed")

    assert len(set(titles.values())) == len(titles) - 1, titles  # the index twice, the same page
    for title in titles.values():
        assert title.endswith(f"{settings.WAGTAIL_SITE_NAME} – {settings.COUNCIL_NAME}"), title


def test_the_check_works_without_javascript(browser, site, make_user):
    from tests.browser.conftest import sign_in_through_the_forms

    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in_through_the_forms(page, site, make_user(MEMBERS), MODULE + "check/")
        answer(page, right=4)
        assert page.locator("h1").inner_text() == "You passed"
    finally:
        context.close()
