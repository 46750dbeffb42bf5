"""The training module's own pages: reading it, its knowledge check, and the feedback on an attempt.

They are routes of the module page (``TrainingPage``), so the intranet's sign-in
restriction and breadcrumbs apply to them as to the module itself.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.models.knowledge_check import TrainingAttempt
from portal.models.training import TrainingCompletion

from . import assessment
from .progress import progress_for

__all__ = ["progress_for"]  # the training index (SectionPage) reads progress through here


def _questions(page):
    return list(page.check_questions.all())


def module_status(request, page):
    """What the module page says about the reader's own training on it."""
    status = TrainingCompletion.objects.status(request.user, page)
    status["has_check"] = page.check_questions.exists()
    if status["has_check"] and request.user.is_authenticated:
        status["check_url"] = page.url + page.reverse_subpage("check")
        status["last_attempt"] = TrainingAttempt.objects.filter(user=request.user, page=page).first()
        progress = progress_for(request.user, timezone.localdate(), [page])
        status["progress"] = progress[0] if progress else None
    return status


def confirm_reading(request, page):
    """'I have read and understood', for a module with no knowledge check."""
    if request.user.is_authenticated and not page.check_questions.exists():
        TrainingCompletion.objects.confirm(request.user, page)
    return redirect(page.url + "#training-confirmation", permanent=False)


def knowledge_check(request, page):
    questions = _questions(page)
    if not questions or not request.user.is_authenticated:
        raise Http404("This module has no knowledge check.")
    form = assessment.KnowledgeCheckForm(questions, request.POST if request.method == "POST" else None)
    if form.is_valid():
        answers = {q.pk: form.cleaned_data[assessment.field_name(q)] for q in questions}
        attempt = assessment.mark(request.user, page, questions, answers)
        return redirect(page.url + page.reverse_subpage("result", args=[attempt.pk]))
    context = page.get_context(request)
    context.update({"form": form, "rows": form.rows(), "module_url": page.url})
    return TemplateResponse(request, "portal/training_check.html", context)


def knowledge_check_result(request, page, attempt_id):
    # Only the person who took it sees an attempt: another's id is not found.
    if not request.user.is_authenticated:
        raise Http404
    attempt = get_object_or_404(TrainingAttempt, pk=attempt_id, page=page, user=request.user)
    context = page.get_context(request)
    context.update(
        {
            "attempt": attempt,
            "feedback": assessment.feedback(attempt, _questions(page)),
            "check_url": page.url + page.reverse_subpage("check"),
            "module_url": page.url,
            "index": page.get_parent(),
        }
    )
    return TemplateResponse(request, "portal/training_result.html", context)
