"""A screening: one person's way through the decision tree, kept as it was answered.

The questions are data an editor may later change, so the record keeps the wording of
each question and of the route it gave, as the person saw them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Outcome(models.TextChoices):
    PARTNERSHIP = "partnership", "A partnership the council may join"
    NOT_A_PARTNERSHIP = "not_a_partnership", "Not a partnership"
    DO_NOT_JOIN = "do_not_join", "A partnership the council should not join"


class ScreeningRecord(models.Model):
    name = models.CharField("arrangement", max_length=200)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="screenings"
    )
    screened_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # [{"question_id", "code", "section", "text", "answer"}], in the order asked.
    answers = models.JSONField(default=list)
    stopped_at = models.CharField(max_length=10, blank=True, help_text="The code of the question that stopped it.")
    instead = models.TextField("what to do instead", blank=True)

    class Meta:
        ordering = ["-screened_at", "-pk"]
        verbose_name = "screening"

    def __str__(self):
        return f"{self.name}: {self.get_outcome_display()}"

    def get_absolute_url(self):
        return reverse("screening:record", args=[self.pk])

    @property
    def is_partnership(self):
        return self.outcome == Outcome.PARTNERSHIP

    def answer_for(self, code):
        return next((item["answer"] for item in self.answers if item["code"] == code), "")

    def visible_to(self, user):
        """The person who screened it; and register managers, who look after the register."""
        return user.is_active and (user.pk == self.screened_by_id or user.has_perm("screening.view_screeningrecord"))
