"""The Cabinet exception report as Cabinet receives it: only partnerships not making sufficient progress,
what is merely overdue in its own section, on screen, on paper and as a PDF."""

import datetime
import http.server
import io
import threading
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from partnerships.pdf import RefuseToFetch
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory, progress_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_10_june_2026")]

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
REPORT = reverse("workflows_reports:exception_report")
PRINT = reverse("workflows_reports:exception_report_print")
PDF = reverse("workflows_reports:exception_report_pdf")


@pytest.fixture
def register(portal_site):
    """One partnership of each kind Cabinet's paper must tell apart."""
    area = ServiceAreaFactory(name="Communities")

    def entry(name, **fields):
        fields.setdefault("next_progress_report_due", D(2026, 11, 30))
        fields.setdefault("next_review_due", D(2027, 3, 31))
        return PartnershipFactory(name=name, service_area=area, **fields)

    progress_report(entry("Struggling"), D(2026, 4, 2), "amber", sufficient=False)
    # Not sufficient progress, and its annual review is overdue too: in both sections.
    progress_report(entry("Struggling And Late", next_review_due=D(2026, 5, 1)), D(2026, 3, 2), "red", sufficient=False)
    progress_report(
        entry("Overdue Only", next_progress_report_due=D(2026, 4, 30)), D(2026, 1, 5), "green", sufficient=True
    )
    entry("Never Reported", next_progress_report_due=D(2026, 2, 28))
    progress_report(entry("On Track"), D(2026, 4, 15), "green", sufficient=True)
    return area


def section(soup, name):
    return soup.select_one(f'[data-section="{name}"]') or soup.find(id=name).find_parent("section")


def test_the_admin_report_lists_only_the_seeds_case_in_its_table(manager_client, register):
    html = manager_client.get(REPORT).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    table_names = [
        cell.get_text(strip=True) for cell in soup.select("table.listing:not([data-overdue-table]) tbody td")
    ]
    assert "Struggling" in table_names and "Struggling And Late" in table_names
    assert "Overdue Only" not in table_names and "Never Reported" not in table_names and "On Track" not in table_names
    overdue = soup.select_one("[data-overdue-table]")
    assert [row["data-overdue"] for row in overdue.select("tbody tr")] == [
        PartnershipFactory._meta.model.objects.get(name=name).reference
        for name in ("Never Reported", "Overdue Only", "Struggling And Late")
    ]
    assert "On Track" not in html
    assert "Not making sufficient progress: 2 partnerships" in html
    assert "Reports and reviews overdue: 3 partnerships" in html


def test_the_printed_paper_has_two_sections_and_one_consistent_introduction(client, register, board_member):
    client.force_login(board_member)
    soup = BeautifulSoup(client.get(PRINT).content, "html.parser")
    intro = " ".join(" ".join(p.get_text(" ", strip=True).split()) for p in soup.select(".cabinet-intro"))
    assert "Only those partnerships which appear not to be making sufficient progress are reported to Cabinet." in intro
    assert "they are not reported to Cabinet for that reason alone" in intro
    cabinet = [row["data-insufficient"] for row in soup.select("[data-insufficient]")]
    overdue = [row["data-overdue"] for row in soup.select("[data-overdue]")]
    names = dict(PartnershipFactory._meta.model.objects.values_list("reference", "name"))
    assert [names[ref] for ref in cabinet] == ["Struggling", "Struggling And Late"]
    assert [names[ref] for ref in overdue] == ["Never Reported", "Overdue Only", "Struggling And Late"]
    assert "Struggling lost a partner." in soup.get_text()
    assert "On Track" not in soup.get_text()


def test_the_paper_downloads_as_a_pdf_that_opens(manager_client, register):
    response = manager_client.get(f"{PDF}?period_start=2025-12-11&period_end=2026-06-10")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="cabinet-exception-report-2025-12-11-to-2026-06-10.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    cabinet, overdue = text.split("Reports and reviews overdue: 3 partnerships")
    assert "Not making sufficient progress: 2 partnerships" in cabinet
    assert "Struggling lost a partner." in cabinet
    assert "Overdue Only" not in cabinet and "Never Reported" not in cabinet
    assert "Overdue Only" in overdue and "Never Reported" in overdue
    assert "On Track" not in text


@pytest.mark.parametrize("who", ["lead_officer", "head_of_service", "plain_staff"])
def test_the_pdf_is_refused_to_others(client, register, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(PDF)
    # Staff without the admin are sent to the admin's sign-in; officers in it are refused.
    assert response.status_code == (302 if who == "plain_staff" else 403)
    assert not response.content.startswith(b"%PDF")


def test_the_pdf_needs_a_sign_in(client, register):
    assert client.get(PDF).status_code == 302


@pytest.mark.django_db(False)
def test_drawing_a_paper_fetches_nothing_from_an_address():
    """An address in a paper (an image, a stylesheet) is never requested by the server."""
    requested = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        html = f'<img src="http://127.0.0.1:{server.server_port}/tracker.png" alt=""><p>Minutes</p>'
        pdf = HTML(string=html, url_fetcher=RefuseToFetch()).write_pdf()
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert requested == []


def test_with_nothing_for_cabinet_the_overdue_section_still_shows(manager_client, portal_site):
    PartnershipFactory(name="Late Only", next_progress_report_due=D(2026, 3, 31), next_review_due=D(2027, 3, 31))
    html = manager_client.get(REPORT).content.decode()
    assert "Nothing goes to Cabinet." in html
    assert "Reports and reviews overdue: 1 partnership" in html
    assert "Late Only" in html
