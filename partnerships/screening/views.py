"""The decision tree's pages: start, the arrangement's name, one question a page, check answers, the result.

The answers so far live in the session, so the pages work with plain links and
forms (no JavaScript); only the checked result is saved, as a screening record.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..permissions import proposal_url
from .flow import Tree, instead
from .forms import AnswerForm, NameForm
from .models import Outcome, ScreeningRecord

SESSION_KEY = "decision_tree"


def _progress(request):
    return request.session.get(SESSION_KEY) or {"name": "", "answers": {}}


def _save_progress(request, progress):
    request.session[SESSION_KEY] = progress


def _question_url(question):
    return reverse("screening:question", args=[question.code.lower()])


def _next_url(tree, progress):
    """Where someone goes next: the name, the first question not yet answered, or the check page."""
    if not progress["name"]:
        return reverse("screening:name")
    question = tree.next_question(progress["answers"])
    return _question_url(question) if question else reverse("screening:check")


@login_required
def start(request):
    tree = Tree.load()
    progress = _progress(request)
    context = {
        "tree": tree,
        "in_progress": bool(progress["name"]),
        "resume_url": _next_url(tree, progress),
        "has_records": ScreeningRecord.objects.filter(screened_by=request.user).exists(),
    }
    return render(request, "partnerships/screening/start.html", context)


@login_required
@require_http_methods(["POST"])
def begin(request):
    """Start again with nothing answered."""
    _save_progress(request, {"name": "", "answers": {}})
    return redirect("screening:name")


@login_required
@require_http_methods(["GET", "POST"])
def name(request):
    tree = Tree.load()
    progress = _progress(request)
    form = NameForm(request.POST if request.method == "POST" else None, initial={"name": progress["name"]})
    if request.method == "POST" and form.is_valid():
        progress["name"] = form.cleaned_data["name"]
        _save_progress(request, progress)
        return redirect(_next_url(tree, progress))
    context = {"form": form, "back_url": reverse("screening:start")}
    return render(request, "partnerships/screening/name.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question(request, code):
    tree = Tree.load()
    asked = tree.find(code)
    if asked is None:
        raise Http404("No such question")
    progress = _progress(request)
    # Nobody jumps ahead of an unanswered question, or past an answer that stopped the tree.
    if not progress["name"] or not tree.reachable(asked, progress["answers"]):
        return redirect(_next_url(tree, progress))
    form = AnswerForm(
        request.POST if request.method == "POST" else None, initial={"answer": progress["answers"].get(asked.code)}
    )
    if request.method == "POST" and form.is_valid():
        progress["answers"][asked.code] = form.cleaned_data["answer"]
        _save_progress(request, progress)
        return redirect(_next_url(tree, progress))
    previous = tree.previous(asked)
    context = {
        "form": form,
        "question": asked,
        "number": tree.questions.index(asked) + 1,
        "total": len(tree.questions),
        "back_url": _question_url(previous) if previous else reverse("screening:name"),
    }
    return render(request, "partnerships/screening/question.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    tree = Tree.load()
    progress = _progress(request)
    if not progress["name"] or tree.next_question(progress["answers"]) is not None or not tree.questions:
        return redirect(_next_url(tree, progress) if tree.questions else reverse("screening:start"))
    taken = tree.path(progress["answers"])
    stop = tree.stop(progress["answers"])
    if request.method == "POST":
        record = ScreeningRecord.objects.create(
            name=progress["name"],
            screened_by=request.user,
            outcome=tree.outcome(progress["answers"]),
            answers=[
                {"question_id": q.pk, "code": q.code, "section": q.section, "text": q.text, "answer": answer}
                for q, answer in taken
            ],
            stopped_at=stop.code if stop else "",
            instead=instead(stop) if stop else "",
        )
        request.session.pop(SESSION_KEY, None)
        return redirect(record)
    context = {
        "rows": [("", "Arrangement", progress["name"], reverse("screening:name"))]
        + [(q.code, q.text, answer, _question_url(q)) for q, answer in taken],
        "stop": stop,
        "instead": instead(stop) if stop else "",
        "outcome": tree.outcome(progress["answers"]),
        "Outcome": Outcome,
        "back_url": _question_url(taken[-1][0]),
    }
    return render(request, "partnerships/screening/check.html", context)


@login_required
def record(request, pk):
    screening = get_object_or_404(ScreeningRecord.objects.select_related("screened_by"), pk=pk)
    if not screening.visible_to(request.user):
        raise Http404("No such screening")
    propose = proposal_url(request.user) if screening.is_partnership else None
    context = {
        "record": screening,
        "rows": [(item["code"], item["text"], item["answer"], "") for item in screening.answers],
        "stop": next((item for item in screening.answers if item["code"] == screening.stopped_at), None),
        "Outcome": Outcome,
        "propose_url": f"{propose}?screening={screening.pk}" if propose else None,
        "may_propose": proposal_url(request.user) is not None,
    }
    return render(request, "partnerships/screening/record.html", context)


@login_required
def records(request):
    mine = ScreeningRecord.objects.filter(screened_by=request.user)
    return render(request, "partnerships/screening/records.html", {"records": mine})
