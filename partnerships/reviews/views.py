"""Intranet pages for progress reports and annual reviews, and the collated progress of every partnership.

Submitting is for the entry's lead officer, its Head of Service, or a register
manager (anyone else gets 403); reading a submitted report is for any signed-in
officer, as Wyre Forest 4.2 puts the collated reports on the intranet.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships.models import AnnualReview, Partnership, ProgressReport, Rating, ServiceArea
from partnerships.permissions import may_submit_reviews
from portal.models import QuestionSet

from .forms import AnnualReviewForm, ProgressReportForm
from .services import reviewable, submit_annual_review, submit_progress_report

PAGE_SIZE = 50
NO_REPORT = "none"
REVIEW_QUESTION_SETS = (QuestionSet.Kind.IMPROVEMENT, QuestionSet.Kind.FIVE_MINUTE)


def _entry_for_submission(request, pk):
    partnership = get_object_or_404(Partnership.objects.select_related("service_area"), pk=pk)
    if not reviewable(partnership):
        raise Http404("Reports and reviews are made only for partnerships the council is in.")
    if not may_submit_reviews(request.user, partnership):
        raise PermissionDenied("Only the lead officer, the Head of Service or a register manager may submit this.")
    return partnership


def _question_sets():
    sets = {
        qs.kind: qs for qs in QuestionSet.objects.filter(kind__in=REVIEW_QUESTION_SETS).prefetch_related("questions")
    }
    return [sets[kind] for kind in REVIEW_QUESTION_SETS if kind in sets]


def _form_page(request, partnership, form, *, submit, detail, template):
    """A report or review form; once valid, ``submit(form)`` it and show the record with a confirmation."""
    if request.method == "POST" and form.is_valid():
        submitted = submit(form)
        return redirect(
            reverse(f"partnerships_staff:{detail}", args=[partnership.pk, submitted.record.pk]) + "?submitted=1"
        )
    context = {"partnership": partnership, "form": form, "errors": form.error_links() if form.is_bound else []}
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def progress_report(request, pk):
    partnership = _entry_for_submission(request, pk)
    return _form_page(
        request,
        partnership,
        ProgressReportForm(request.POST or None, partnership=partnership),
        submit=lambda form: submit_progress_report(form.save(commit=False), request.user),
        detail="progress_report_detail",
        template="partnerships/reviews/progress_report_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_review(request, pk):
    partnership = _entry_for_submission(request, pk)
    return _form_page(
        request,
        partnership,
        AnnualReviewForm(request.POST or None, partnership=partnership, question_sets=_question_sets()),
        submit=lambda form: submit_annual_review(form.save(commit=False), form.answers(), request.user),
        detail="annual_review_detail",
        template="partnerships/reviews/annual_review_form.html",
    )


@login_required
def progress_report_detail(request, pk, report_pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("partnership", "submitted_by"), pk=report_pk, partnership_id=pk
    )
    context = {"partnership": report.partnership, "report": report, "submitted": "submitted" in request.GET}
    return render(request, "partnerships/reviews/progress_report_detail.html", context)


@login_required
def annual_review_detail(request, pk, review_pk):
    review = get_object_or_404(
        AnnualReview.objects.select_related("partnership", "submitted_by").prefetch_related("answers"),
        pk=review_pk,
        partnership_id=pk,
    )
    context = {"partnership": review.partnership, "review": review, "submitted": "submitted" in request.GET}
    return render(request, "partnerships/reviews/annual_review_detail.html", context)


# --- Collated progress --------------------------------------------------------------------------


class ProgressFilterForm(forms.Form):
    service_area = forms.ModelChoiceField(
        label="Service area",
        required=False,
        queryset=ServiceArea.objects.all(),
        empty_label="All service areas",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    rating = forms.ChoiceField(
        label="Latest rating",
        required=False,
        choices=[("", "Any rating"), *Rating.choices, (NO_REPORT, "No report yet")],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )


def progress_figures(entries):
    """Counts of the latest ratings among ``entries`` (annotated ``with_latest_report()``), in one query."""
    counts = {rating.value: Count("pk", filter=Q(latest_rating=rating.value)) for rating in Rating}
    return entries.aggregate(
        total=Count("pk"),
        no_report=Count("pk", filter=Q(latest_report_id__isnull=True)),
        insufficient=Count("pk", filter=Q(latest_sufficient=False)),
        **counts,
    )


def collated_entries(service_area=None, rating=None):
    entries = Partnership.objects.in_force().filter(live=True).with_latest_report()
    if service_area is not None:
        entries = entries.filter(service_area=service_area)
    if rating == NO_REPORT:
        entries = entries.filter(latest_report_id__isnull=True)
    elif rating:
        entries = entries.filter(latest_rating=rating)
    return entries


@login_required
def collated_progress(request):
    form = ProgressFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = collated_entries(filters.get("service_area"), filters.get("rating"))
    figures = progress_figures(entries)
    page = Paginator(
        entries.select_related("service_area", "lead_officer").order_by("service_area__name", "name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    reports = ProgressReport.objects.in_bulk([e.latest_report_id for e in page.object_list if e.latest_report_id])
    for entry in page.object_list:
        entry.latest_report = reports.get(entry.latest_report_id)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "figures": figures,
        "page_obj": page,
        "querystring": params.urlencode(),
        "ratings": Rating,
    }
    return render(request, "partnerships/reviews/collated_progress.html", context)
