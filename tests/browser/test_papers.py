"""The Cabinet and Board papers in a real browser: accessible, one h1, readable at 320 px, and their PDFs open."""

import datetime
from types import SimpleNamespace

import pytest

from partnerships.models import ProgressReport, ServiceArea
from portal import roles
from tests.partnerships.factories import PartnershipFactory
from tests.workflows.decisions.test_board_pack import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PACK = "/admin/workflows/board-pack/"
CABINET = "/admin/reports/workflows/exceptions/print/"
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def people(portal_site, make_user):
    def user(first, *groups):
        return make_user(roles.STAFF, *groups, first_name=first, last_name="Example")

    return SimpleNamespace(
        lead=user("Lee", roles.LEAD_OFFICERS),
        head=user("Hannah", roles.HEADS_OF_SERVICE),
        board=user("Bola", roles.MANAGEMENT_BOARD),
        manager=user("Rita", roles.REGISTER_MANAGERS),
    )


def check_paper(page, assert_accessible, title_start):
    assert page.title().startswith(title_start)
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the paper scrolls sideways at 320 px"
    page.emulate_media(media="print")
    assert not page.locator(".screen-only").is_visible()
    page.emulate_media(media="screen")


def test_the_board_reads_the_pack_and_downloads_its_pdf(page, site, people, sign_in_as, assert_accessible):
    area = ServiceArea.objects.create(name="Communities", head_of_service=people.head)
    submitted(people, area, "Youth Futures", endorse_comment="Fits our plan.")
    sign_in_as(people.board, PACK)
    assert page.get_by_role("heading", name="1. Youth Futures").is_visible()
    assert page.get_by_text("Endorsed by Hannah Example").is_visible()
    check_paper(page, assert_accessible, "Management Board meeting pack")
    response = page.request.get(f"{site}/admin/workflows/board-pack/pdf/")
    assert response.ok and response.body().startswith(b"%PDF-")


def test_a_register_manager_prints_the_cabinet_paper(page, site, people, sign_in_as, assert_accessible):
    entry = PartnershipFactory(name="Struggling", next_progress_report_due=datetime.date.today().replace(year=2099))
    ProgressReport.objects.create(
        partnership=entry,
        period_start=datetime.date.today() - datetime.timedelta(days=180),
        period_end=datetime.date.today() - datetime.timedelta(days=5),
        rating="amber",
        sufficient_progress=False,
        achievements="Some.",
        issues="A partner left.",
        next_steps="Recruit.",
    )
    sign_in_as(people.manager, CABINET)
    assert page.get_by_role("heading", name="Not making sufficient progress: 1 partnership").is_visible()
    check_paper(page, assert_accessible, "Partnerships: exception report to Cabinet")
    page.get_by_role("link", name="Download as PDF").is_visible()
    response = page.request.get(f"{site}/admin/reports/workflows/exceptions/pdf/")
    assert response.ok and response.body().startswith(b"%PDF-")
