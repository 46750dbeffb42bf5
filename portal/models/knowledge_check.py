"""Knowledge checks at the end of a training module: questions with one right answer, and each attempt.

The questions belong to the module page (edited on it and versioned with it); an
attempt records what the person chose, their score and whether it reached the
module's pass mark. A pass also records the module as completed
(``TrainingCompletion``), with its score.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class KnowledgeCheckQuestion(Orderable):
    page = ParentalKey("portal.TrainingPage", related_name="check_questions", on_delete=models.CASCADE)
    text = models.TextField("Question")
    choices = models.TextField(help_text="The answers to choose from, one a line.")
    correct_answer = models.CharField(max_length=255, help_text="The right answer, exactly as one of the lines above.")
    feedback = models.TextField(help_text="Why that is the answer: shown to everyone once they have answered.")

    panels = [FieldPanel("text"), FieldPanel("choices"), FieldPanel("correct_answer"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = "knowledge check question"

    def __str__(self):
        return self.text

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        choices = self.choice_list
        if len(choices) < 2:
            raise ValidationError({"choices": "Give at least 2 answers to choose from."})
        if self.correct_answer.strip() not in choices:
            raise ValidationError({"correct_answer": "The right answer must be one of the answers to choose from."})


class TrainingAttempt(models.Model):
    """One go at a module's knowledge check; a person may retake it as often as they like."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts")
    page = models.ForeignKey("portal.TrainingPage", on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(help_text="Per cent of answers right.")
    pass_mark = models.PositiveSmallIntegerField(help_text="The module's pass mark when taken, per cent.")
    passed = models.BooleanField()
    # {question id: the answer chosen}, so the feedback page shows what was chosen.
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return f"{self.user} scored {self.score}% on {self.page}"
