"""Page types of the public site and the staff intranet."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import ContentStreamBlock
from portal.training import views as training_views

from .privacy import ViewRestrictionsInOneQueryMixin, viewable_by
from .questions import QuestionSet

# Apps that take proposals register a function of the user giving where that user proposes
# one (or None); the toolkit's decision tree and checklist end with that link.
PROPOSAL_URL_HOOK = "propose_partnership_url"

CONTENT_PAGE_TYPES = ["portal.ContentPage", "portal.GuidancePage", "portal.ToolkitPage"]


class BodyPage(ViewRestrictionsInOneQueryMixin, Page):
    """A page whose content is the shared block library."""

    summary = models.TextField(blank=True, help_text="One or two sentences shown in lists and search.")
    body = StreamField(ContentStreamBlock(), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]

    class Meta:
        abstract = True


class ReviewedPage(BodyPage):
    """Content with an owner who must review it by a date (reminders chase them)."""

    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The officer responsible for keeping this page correct.",
    )
    review_by = models.DateField(null=True, blank=True, help_text="When the owner must next review this page.")

    settings_panels = Page.settings_panels + [
        MultiFieldPanel([FieldPanel("content_owner"), FieldPanel("review_by")], heading="Content ownership"),
    ]

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Owner and review-by date are for staff: shown only on pages that need a sign-in
        # (the intranet), never on the public site, whoever is reading.
        context["shows_ownership"] = self.get_view_restrictions().exists()
        return context


class HomePage(BodyPage):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = BodyPage.content_panels[:1] + [FieldPanel("intro")] + BodyPage.content_panels[1:]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage", "portal.ContentPage", "portal.IntranetHomePage", "partnerships.RegisterPage"]
    page_description = "The public home page of the portal."
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().filter(viewable_by(request)).specific().in_menu()
        return context


class IntranetHomePage(BodyPage):
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.SectionPage", *CONTENT_PAGE_TYPES, "portal.TrainingPage"]
    page_description = "The home of the staff intranet; everything beneath it needs a sign-in."
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Listings show only what this reader may open: a Board-only page stays out of staff's.
        context["sections"] = self.get_children().live().filter(viewable_by(request)).specific()
        return context


class SectionPage(BodyPage):
    parent_page_types = ["portal.HomePage", "portal.IntranetHomePage", "portal.SectionPage"]
    subpage_types = ["portal.SectionPage", *CONTENT_PAGE_TYPES, "portal.TrainingPage"]
    page_description = "A section that lists the pages beneath it, such as the Framework or the Toolkit."

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().filter(viewable_by(request)).specific()
        modules = [child for child in context["children"] if isinstance(child, TrainingPage)]
        if modules:
            # The training index shows each reader where they stand on its modules.
            context["training_progress"] = training_views.progress_for(request.user, timezone.localdate(), modules)
        return context


class ContentPage(ReviewedPage):
    parent_page_types = ["portal.HomePage", "portal.SectionPage", "portal.ContentPage"]
    subpage_types = ["portal.ContentPage"]
    page_description = "A page of the Partnerships Framework or other published content."
    template = "portal/content_page.html"


class GuidancePage(ReviewedPage):
    parent_page_types = ["portal.IntranetHomePage", "portal.SectionPage"]
    subpage_types = ["portal.GuidancePage"]
    page_description = "Staff guidance with a named owner and a review-by date."
    template = "portal/content_page.html"


def _proposal_url(user):
    for proposal_url in hooks.get_hooks(PROPOSAL_URL_HOOK):
        url = proposal_url(user)
        if url:
            return url
    return None


class ToolkitPage(ReviewedPage):
    question_set = models.ForeignKey(
        "portal.QuestionSet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A question set (checklist, template, decision tree) shown after the body.",
    )

    content_panels = ReviewedPage.content_panels + [FieldPanel("question_set")]
    parent_page_types = ["portal.IntranetHomePage", "portal.SectionPage"]
    subpage_types = []
    page_description = "A tool for staff: the checklist, the improvement template, the decision tree."

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.question_set_id:
            context["question_sections"] = self.question_set.sections()
            # The tools a proposal starts from end with the way to make one.
            if self.question_set.kind in (QuestionSet.Kind.DECISION_TREE, QuestionSet.Kind.CHECKLIST):
                context["offers_proposal"] = True
                context["propose_url"] = _proposal_url(request.user)
        return context


class TrainingPage(RoutablePageMixin, ReviewedPage):
    pass_mark = models.PositiveSmallIntegerField(
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of the knowledge check's answers a person must get right to pass, per cent.",
    )

    content_panels = ReviewedPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("pass_mark"), InlinePanel("check_questions", label="Question")],
            heading="Knowledge check",
        ),
    ]
    parent_page_types = ["portal.IntranetHomePage", "portal.SectionPage"]
    subpage_types = []
    page_description = "An awareness training module that staff and councillors read, then pass its knowledge check."
    # content_page.html, then the knowledge check (or, with no questions, "I have read and understood").
    template = "portal/training_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["training"] = training_views.module_status(request, self)
        return context

    def serve(self, request, *args, **kwargs):
        # The form posts back to the page itself (CSRF-checked like any POST); the
        # intranet's sign-in restriction has already turned anonymous visitors away.
        if request.method == "POST" and request.POST.get("action") == "confirm-training":
            return training_views.confirm_reading(request, self)
        return super().serve(request, *args, **kwargs)

    @path("check/", name="check")
    def knowledge_check(self, request):
        return training_views.knowledge_check(request, self)

    @path("check/result/<int:attempt_id>/", name="result")
    def knowledge_check_result(self, request, attempt_id):
        return training_views.knowledge_check_result(request, self, attempt_id)
