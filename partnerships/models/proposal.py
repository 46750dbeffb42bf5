"""What a lead officer puts to the Head of Service and Management Board.

The screening and checklist answers are child records with a ParentalKey, so they
are kept in the entry's revisions like its risks: the Board decides on the answers
as they were submitted, and a later edit is a new revision. The business case is a
handful of text fields on the entry itself (``BusinessCaseFields``).

The questions are data (``portal.QuestionSet``), so an answer points at its
question; a question an editor later deletes leaves its answer without one.
"""

from django.db import models
from modelcluster.fields import ParentalKey

from .choices import Status

PARTNERSHIP = "partnerships.Partnership"

# The workflows setup_portal creates (workflows/setup.py); Partnership.get_workflow() picks one.
NEW_PARTNERSHIP_WORKFLOW = "New partnership approval"
REGISTER_MODERATION_WORKFLOW = "Register moderation"

# An entry in these statuses that has never been published is a proposal.
PROPOSAL_STATUSES = (Status.PROPOSED, Status.AWAITING_APPROVAL)


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


# The business case written into the proposal form; an uploaded document is the other way to give it.
BUSINESS_CASE_TEXT_FIELDS = ("objectives", "priorities_served", "added_value", "costs_and_resources", "funding")


class BusinessCaseFields(models.Model):
    """The business case a new partnership needs before the council enters it (Wirral 2.7).

    Exit arrangements are the entry's ``exit_strategy``; money and officer time are
    its figures on the Money tab. These say what the figures are for.
    """

    objectives = models.TextField(
        "objectives", blank=True, help_text="What the partnership will achieve, for the council and for local people."
    )
    priorities_served = models.TextField(
        "council priorities served",
        blank=True,
        help_text="Which council priorities or statutory duties it serves, and how.",
    )
    added_value = models.TextField(
        "added value", blank=True, help_text="What the council gets by working in partnership that it could not alone."
    )
    costs_and_resources = models.TextField(
        "costs and resources",
        blank=True,
        help_text="What it costs the council, including officer and councillor time.",
    )
    funding = models.TextField(
        "funding", blank=True, help_text="Where the money comes from: the council's budget, partners, external funds."
    )

    class Meta:
        abstract = True

    @property
    def business_case_written(self):
        """Whether every part of the written business case is filled in."""
        return all(getattr(self, name).strip() for name in BUSINESS_CASE_TEXT_FIELDS)


class ProposalAnswer(models.Model):
    question = models.ForeignKey("portal.Question", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        ordering = ["pk"]


class ScreeningAnswer(ProposalAnswer):
    """A yes/no answer to a question of the pre-partnership decision tree (Carlisle 3.2)."""

    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="screening_answers")
    answer = models.CharField(max_length=3, choices=YesNo.choices)

    class Meta(ProposalAnswer.Meta):
        verbose_name = "screening answer"

    def __str__(self):
        return f"{self.question.code if self.question else '?'}: {self.get_answer_display()}"

    @property
    def stops(self):
        return bool(self.question and self.question.stops_when and self.answer == self.question.stops_when)


class ChecklistAnswer(ProposalAnswer):
    """An answer to a question of the partnership checklist (the strategy's eight sections)."""

    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="checklist_answers")
    answer = models.TextField()

    class Meta(ProposalAnswer.Meta):
        verbose_name = "checklist answer"

    def __str__(self):
        return f"{self.question.code if self.question else '?'}: {self.answer[:60]}"
