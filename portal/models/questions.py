"""Question sets (checklist, improvement template, decision tree, five-minute review).

They are data so that editors can change a question without a release; the
toolkit pages render them and proposals and reviews are answered against them.
"""

from itertools import groupby

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class QuestionSet(ClusterableModel):
    class Kind(models.TextChoices):
        CHECKLIST = "checklist", "Partnership checklist"
        IMPROVEMENT = "improvement", "Partnership Improvement Template"
        DECISION_TREE = "decision_tree", "Pre-partnership decision tree"
        FIVE_MINUTE = "five_minute", "Five-minute review"

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)

    panels = [FieldPanel("kind"), FieldPanel("title"), FieldPanel("introduction"), InlinePanel("questions")]

    def __str__(self):
        return self.title

    def sections(self):
        """Questions grouped by section, in order: [(section, [questions])]."""
        return [(section, list(items)) for section, items in groupby(self.questions.all(), key=lambda q: q.section)]


class Question(Orderable):
    class Stop(models.TextChoices):
        NEVER = "", "Never"
        YES = "yes", "When answered yes"
        NO = "no", "When answered no"

    question_set = ParentalKey(QuestionSet, related_name="questions", on_delete=models.CASCADE)
    code = models.CharField(max_length=10, help_text="A short reference such as 3b.")
    section = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    stops_when = models.CharField(
        max_length=3,
        choices=Stop.choices,
        blank=True,
        help_text="For screening: the answer that means the arrangement is not a partnership.",
    )
    stop_explanation = models.TextField(blank=True, help_text="The route the arrangement should take instead.")

    panels = [
        FieldPanel("code"),
        FieldPanel("section"),
        FieldPanel("text"),
        FieldPanel("guidance"),
        FieldPanel("stops_when"),
        FieldPanel("stop_explanation"),
    ]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["question_set", "code"], name="unique_question_code")]

    def __str__(self):
        return f"{self.code} {self.text}"
