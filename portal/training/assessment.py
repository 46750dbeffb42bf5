"""Marking a knowledge check: the form of its questions, the score, and what a pass records.

Answers are never in the page before someone has answered: the form offers the
choices only, and the feedback page shows each right answer and why, after marking.
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction

from portal.models.knowledge_check import TrainingAttempt
from portal.models.training import TrainingCompletion

UNANSWERED = "Select an answer to this question"


def field_name(question):
    return f"q{question.pk}"


class KnowledgeCheckForm(forms.Form):
    """One radio group per question; every question must be answered."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=[(choice, choice) for choice in question.choice_list],
                widget=forms.RadioSelect,
                error_messages={"required": f"{UNANSWERED} {number}", "invalid_choice": f"{UNANSWERED} {number}"},
            )

    def rows(self):
        """(number, question, bound field) for the template."""
        return [(n, q, self[field_name(q)]) for n, q in enumerate(self.questions, start=1)]


@dataclass(frozen=True)
class Marked:
    number: int
    question: object
    chosen: str

    @property
    def right(self):
        return self.chosen == self.question.correct_answer.strip()


def score_of(correct, total):
    return round(100 * correct / total) if total else 0


@transaction.atomic
def mark(user, page, questions, answers):
    """Record an attempt at ``page``'s check with ``answers`` ({question id: choice}); a pass completes it."""
    marked = [Marked(n, q, answers.get(q.pk, "")) for n, q in enumerate(questions, start=1)]
    correct = sum(item.right for item in marked)
    score = score_of(correct, len(marked))
    attempt = TrainingAttempt.objects.create(
        user=user,
        page=page,
        revision_id=page.live_revision_id,
        correct=correct,
        total=len(marked),
        score=score,
        pass_mark=page.pass_mark,
        passed=score >= page.pass_mark,
        answers={str(q.pk): answers.get(q.pk, "") for q in questions},
    )
    if attempt.passed:
        TrainingCompletion.objects.record_pass(user, page, score)
    return attempt


def feedback(attempt, questions):
    """Each question with the answer chosen in ``attempt``, whether it was right, and why."""
    return [Marked(n, q, attempt.answers.get(str(q.pk), "")) for n, q in enumerate(questions, start=1)]
