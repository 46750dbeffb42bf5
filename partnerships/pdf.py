"""Papers for Cabinet and Management Board as PDF: the printable page, drawn by WeasyPrint.

The PDF is the same HTML and print CSS a browser prints, so the paper on the agenda and
the page on screen never differ. The papers carry their styles inline; WeasyPrint fetches
nothing (no stylesheet, image or font from a URL), so text typed into the register can
never make the server request an address.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class NothingFetched(ValueError):
    pass


class RefuseToFetch(URLFetcher):
    """Every fetch fails, so the paper is drawn without the resource (WeasyPrint logs a warning)."""

    def fetch(self, url, headers=None):
        raise NothingFetched(f"The papers load nothing from outside: {url}")


def render_pdf(template_name, context, request=None):
    """The bytes of ``template_name`` rendered with ``context``, as a PDF."""
    html = render_to_string(template_name, {**context, "as_pdf": True}, request=request)
    return HTML(string=html, url_fetcher=RefuseToFetch()).write_pdf()


def pdf_response(request, template_name, context, filename):
    """A download of the paper: ``filename`` without its extension."""
    response = HttpResponse(render_pdf(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response
