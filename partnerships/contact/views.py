"""The public forms: report a problem with a register entry, and feedback on the portal.

Each form is on its own address, never cached, with the CSRF token; the register's
entry pages only link here, so they stay cacheable and carry no token.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from ..models import PublicReport
from ..public.fields import public_queryset
from ..public.pages import RegisterPage
from . import throttle
from .forms import PublicReportForm

TEMPLATES = "partnerships/contact/"


def _public_entry(slug):
    partnership = public_queryset().filter(slug=slug).only("pk", "name", "slug").first()
    if partnership is None:
        raise Http404("No public partnership has that address.")
    return partnership


def _entry_url(request, partnership):
    register = RegisterPage.objects.live().first()
    return register.entry_url(partnership.slug, register.get_url(request)) if register else ""


def _handle(request, form, template, context, save, sent_url):
    """Show the form; on a valid POST within the client's limit, save and go to the confirmation."""
    if request.method == "POST":
        if not throttle.is_allowed(request):
            return render(request, TEMPLATES + "too_many.html", context, status=429)
        if form.is_valid():
            throttle.count(request)
            if not form.is_spam:  # a robot is shown the confirmation, and nothing is saved
                save(form.save(commit=False))
            return redirect(sent_url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


@never_cache
@csrf_protect
def report_problem(request, slug):
    partnership = _public_entry(slug)
    form = PublicReportForm(request.POST if request.method == "POST" else None)

    def save(report):
        report.kind, report.partnership, report.entry_name = PublicReport.Kind.CORRECTION, partnership, partnership.name
        report.save()

    context = {"entry": partnership, "entry_url": _entry_url(request, partnership)}
    sent_url = reverse("report_problem_sent", kwargs={"slug": slug})
    return _handle(request, form, TEMPLATES + "report_problem.html", context, save, sent_url)


@never_cache
def report_problem_sent(request, slug):
    partnership = _public_entry(slug)
    context = {"entry": partnership, "entry_url": _entry_url(request, partnership)}
    return render(request, TEMPLATES + "report_sent.html", context)


@never_cache
@csrf_protect
def feedback(request):
    form = PublicReportForm(
        request.POST if request.method == "POST" else None,
        message_label="What would you like to tell us?",
        message_missing="Enter what you would like to tell us",
    )

    def save(report):
        report.kind = PublicReport.Kind.FEEDBACK
        report.save()

    return _handle(request, form, TEMPLATES + "feedback.html", {}, save, reverse("feedback_sent"))


@never_cache
def feedback_sent(request):
    return render(request, TEMPLATES + "feedback_sent.html")
