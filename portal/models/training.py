"""Awareness training records (Wyre Forest 4.3, Wirral 2.8): who completed which module, which version, when."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.roles import VIEW_COLLEAGUES_TRAINING


def can_see_colleagues_training(user):
    """Whether ``user`` may see which colleagues have not finished their training (register managers)."""
    return user.is_active and user.has_perm(VIEW_COLLEAGUES_TRAINING)


def training_modules():
    """The modules staff must confirm: every live training page."""
    # Reached through the completions' page field: the page types import this module.
    return TrainingCompletion._meta.get_field("page").related_model.objects.live().order_by("path")


def modules_not_confirmed_by(user):
    """Live modules ``user`` (a user, or an outer reference to one) has confirmed no version of."""
    confirmed = TrainingCompletion.objects.filter(user=user, page=OuterRef("pk"))
    return training_modules().filter(~Exists(confirmed))


class TrainingCompletionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def confirm(self, user, page):
        """Record that ``user`` read the live version of ``page``; idempotent per user, page and version."""
        completion, _created = self.get_or_create(
            user=user,
            page=page,
            revision_id=page.live_revision_id,
            defaults={"completed_on": timezone.localdate(), "completed_at": timezone.now()},
        )
        return completion

    def record_pass(self, user, page, score):
        """A passed knowledge check completes the module, dated today with its score.

        Passing the same version again (a refresher) moves the date on and keeps the new score.
        """
        completion, _created = self.update_or_create(
            user=user,
            page=page,
            revision_id=page.live_revision_id,
            defaults={"completed_on": timezone.localdate(), "completed_at": timezone.now(), "score": score},
        )
        return completion

    def status(self, user, page):
        """The user's latest confirmation of ``page`` and whether it was of the version now live."""
        latest = self.for_user(user).filter(page=page).order_by("-completed_at", "-pk").first()
        return {
            "completion": latest,
            "current": latest is not None and latest.revision_id == page.live_revision_id,
        }


class TrainingCompletion(models.Model):
    """A signed-in officer's "I have read and understood" on one version of a training page.

    One row per user, page and revision: confirming the same version again changes
    nothing, and confirming after the page has been revised adds a row for the new
    version, so the record shows exactly what each officer read.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions")
    page = models.ForeignKey("portal.TrainingPage", on_delete=models.CASCADE, related_name="completions")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version of the page that was read: its live revision at the time.",
    )
    completed_on = models.DateField(default=timezone.localdate)
    completed_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Per cent, when completed by passing the module's knowledge check."
    )

    objects = TrainingCompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "revision"], name="training_once_per_version"),
        ]

    def __str__(self):
        return f"{self.user} read {self.page} on {self.completed_on:%d %B %Y}"
