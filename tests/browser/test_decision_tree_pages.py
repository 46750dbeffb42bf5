"""The decision tree and the intranet's tables in a real browser: axe, one h1, unique titles, 320 px reflow.

A lead officer tries the tree before proposing, carries the result into the proposal form;
a colleague's arrangement turns out to be a contract; everything works with JavaScript off.
"""

import pytest

from partnerships.models import Status
from portal import roles
from tests.partnerships.factories import public_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

START = "/intranet/decision-tree/"
# The answers that carry on through the tree, question by question (seed 002, then whether to join).
CARRY_ON = ["No", "No", "No", "No", "No", "Yes", "Yes", "Yes"]
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def check_page(assert_accessible):
    """Every page and state: one h1, a title no other page had, no axe violation, no sideways scroll at 320 px."""
    titles = set()

    def check(page):
        assert page.locator("h1").count() == 1, page.url
        title = page.title()
        assert title not in titles, f"{title} is the title of another page"
        titles.add(title)
        assert_accessible(page)
        size = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate(OVERFLOW) <= 0, f"{page.url} scrolls sideways at 320 px"
        page.set_viewport_size(size)

    return check


def answer(page, choice):
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def test_a_lead_tries_the_tree_and_proposes_with_the_answers_filled_in(page, site, make_user, sign_in_as, check_page):
    lead = make_user(roles.STAFF, roles.LEAD_OFFICERS)
    sign_in_as(lead)
    page.get_by_role("navigation", name="Intranet menu").get_by_role("link", name="Decision tree").click()
    assert page.url == site + START
    check_page(page)

    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()  # no name given
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page)
    page.get_by_label("What is the arrangement called?").fill("Riverside regeneration group")
    page.get_by_role("button", name="Continue").click()

    check_page(page)
    page.get_by_role("button", name="Continue").click()  # no answer given
    assert page.title().startswith("Error: ")
    check_page(page)
    for number, choice in enumerate(CARRY_ON):
        if number:
            check_page(page)
        answer(page, choice)

    assert page.locator("h1").inner_text() == "Check your answers"
    assert page.locator(".govuk-panel__title").inner_text() == "It is a partnership the council may join"
    check_page(page)
    page.get_by_role("button", name="Save the result").click()

    assert page.locator("h1").inner_text() == "Riverside regeneration group"
    check_page(page)
    page.get_by_role("link", name="All your decision tree results").click()
    check_page(page)
    page.get_by_role("link", name="Riverside regeneration group").click()

    page.get_by_role("button", name="Propose a new partnership").click()
    assert page.locator("input[name=name]").input_value() == "Riverside regeneration group"
    page.wait_for_load_state()
    checked = page.evaluate(
        "Array.from(document.querySelectorAll('input[type=radio][name^=screening-]:checked')).map(e => e.value)"
    )
    assert checked == [choice.lower() for choice in CARRY_ON]


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (["No", "No", "No", "No", "Yes"], "This is not a partnership"),
        (CARRY_ON[:6] + ["No"], "The council should not join this partnership"),
    ],
    ids=["a contract", "no council priority"],
)
def test_a_stop_says_what_to_do_instead(page, site, sign_in, check_page, answers, outcome):
    sign_in(START)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("What is the arrangement called?").fill("Street cleaning contract")
    page.get_by_role("button", name="Continue").click()
    for choice in answers:
        answer(page, choice)

    assert page.locator(".govuk-notification-banner__heading").inner_text() == outcome
    assert page.get_by_role("heading", name="What to do instead").is_visible()
    check_page(page)
    # Change the stopping answer from the check page: the tree carries on from there.
    page.get_by_role("link", name=f"Change your answer to D{len(answers)}").click()
    assert page.get_by_label(answers[-1], exact=True).is_checked()
    answer(page, answers[-1])
    page.get_by_role("button", name="Save the result").click()
    assert page.locator(".govuk-notification-banner__heading").inner_text() == outcome
    assert page.get_by_role("button", name="Propose a new partnership").count() == 0
    check_page(page)


def test_the_tree_works_with_javascript_off(browser, site, staff_user, portal_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/sign-in/?next={START}")
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("What is the arrangement called?").fill("Town centre forum")
    page.get_by_role("button", name="Continue").click()
    answer(page, "No")
    page.get_by_role("link", name="Back", exact=True).click()
    assert page.get_by_label("No", exact=True).is_checked()
    answer(page, "Yes")
    page.get_by_role("button", name="Save the result").click()
    assert page.locator(".govuk-notification-banner__heading").inner_text() == "This is not a partnership"
    context.close()


def test_the_intranet_tables_reflow_and_the_navigation_marks_where_you_are(
    page, site, make_user, sign_in_as, check_page
):
    lead = make_user(roles.STAFF, roles.LEAD_OFFICERS, first_name="Alison", last_name="Turner")
    for number in range(3):
        public_entry(name=f"Wyre Forest partnership {number}", status=Status.ACTIVE, lead_officer=lead)
    sign_in_as(lead)
    menu = page.get_by_role("navigation", name="Intranet menu")
    for link, heading in [
        ("Intranet home", None),
        ("My partnerships", "My partnerships"),
        ("Intranet register", "Partnership register"),
        ("Collated progress", "Progress of every partnership"),
    ]:
        menu.get_by_role("link", name=link).click()
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert menu.locator("[aria-current]").inner_text() == link
        check_page(page)
    for path in ("/intranet/toolkit/", "/partnerships/open-data/", "/framework/types-of-partnership/"):
        page.goto(site + path)
        check_page(page)
    # At 320 px a register row reads as labelled lines.
    page.goto(site + "/intranet/register/")
    page.set_viewport_size({"width": 320, "height": 640})
    cell = page.locator("td[data-label='Status']").first
    assert page.evaluate("(el) => getComputedStyle(el, '::before').content", cell.element_handle()) == '"Status"'
