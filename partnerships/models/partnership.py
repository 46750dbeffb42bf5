"""The register entry: one partnership the council is in, proposing, or has left."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.utils import get_user_display_name
from wagtail.documents import get_document_model_string
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, Workflow, WorkflowMixin
from wagtail.search import index

from . import choices
from .approval import ApprovalRecord, NotApprovedError
from .proposal import PROPOSAL_STATUSES, REGISTER_MODERATION_WORKFLOW, BusinessCaseFields
from .querysets import GOVERNANCE_GAPS, PUBLIC_ENTRY, PartnershipQuerySet, is_significant
from .references import allocate_reference, reserve_reference
from .revision_loading import BatchedRevisionLoading
from .settings import RegisterSettings

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0"), "validators": [MinValueValidator(0)]}


def _document(help_text):
    return models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def _officer(related_name, help_text, blank=False):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
        help_text=help_text,
    )


class Partnership(
    BatchedRevisionLoading,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    BusinessCaseFields,
    ClusterableModel,
):
    # --- Overview ---
    name = models.CharField(max_length=255)
    reference = models.CharField(
        max_length=20, unique=True, editable=False, help_text="Given when the entry is first saved; never reused."
    )
    slug = models.SlugField(
        max_length=255, unique=True, blank=True, help_text="The entry's address on the public register."
    )
    purpose = models.TextField("purpose and aims", help_text="Why the partnership exists and what it aims to do.")
    shared_objective = models.TextField(blank=True, help_text="The objective the partners work together to secure.")
    status = models.CharField(max_length=20, choices=choices.Status.choices, default=choices.Status.PROPOSED)

    # --- Classification, on the strategy's spectrums ---
    level = models.CharField(max_length=20, choices=choices.Level.choices)
    basis = models.CharField(max_length=20, choices=choices.Basis.choices)
    membership = models.CharField(max_length=20, choices=choices.Membership.choices)
    geography = models.CharField(max_length=20, choices=choices.Geography.choices)
    council_role = models.CharField(max_length=20, choices=choices.CouncilRole.choices)
    rules_of_engagement = models.TextField(
        blank=True, help_text="What the council does in the partnership: funds it only, or acts as a full partner."
    )
    legal_status = models.CharField(max_length=30, choices=choices.LegalStatus.choices, blank=True)
    legal_status_detail = models.CharField(
        max_length=255, blank=True, help_text="Company or charity details, or what 'other' means."
    )
    council_priorities = ParentalManyToManyField(
        "partnerships.CouncilPriority", blank=True, related_name="partnerships"
    )
    areas = ParentalManyToManyField(
        "partnerships.Area",
        blank=True,
        related_name="partnerships",
        verbose_name="areas covered",
        help_text="The council's wards or places the partnership works in; none if it covers no place in particular.",
    )

    # --- People ---
    lead_officer = _officer("led_partnerships", "The officer responsible for the council's involvement.")
    head_of_service = _officer(
        "partnerships_overseen", "Responsible Head of Service; taken from the service area when left empty.", blank=True
    )
    service_area = models.ForeignKey(
        "partnerships.ServiceArea", null=True, on_delete=models.PROTECT, related_name="partnerships"
    )
    public_contact = models.CharField(
        "contact on the public register",
        max_length=20,
        choices=choices.PublicContact.choices,
        default=choices.PublicContact.TEAM,
        help_text="The public see this address for questions about the partnership.",
    )
    # The person Business Unit Heads report review outcomes to (Carlisle 3.2): often a councillor.
    champion = _officer(
        "championed_partnerships",
        "Told the outcome of each annual review and progress report.",
        blank=True,
    )

    # --- Money (per year) ---
    annual_contribution = models.DecimalField("annual council financial contribution (£)", **MONEY)
    in_kind_hours = models.DecimalField(
        "in-kind officer time (hours a year)",
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    in_kind_value = models.DecimalField("estimated value of officer time (£ a year)", **MONEY)
    in_kind_notes = models.TextField(
        "notes on officer time",
        blank=True,
        help_text="Internal: how the time and its value were worked out. Never published.",
    )
    external_funding = models.DecimalField("external funding attracted (£ a year)", **MONEY)
    accountable_body_for_funds = models.BooleanField(
        "council is accountable body for funds",
        default=False,
    )

    # --- Governance ---
    terms_of_reference_status = models.CharField(
        max_length=10, choices=choices.TermsOfReferenceStatus.choices, default=choices.TermsOfReferenceStatus.NONE
    )
    terms_of_reference = _document("The terms of reference, agreed or in draft.")
    terms_of_reference_renewal_date = models.DateField(null=True, blank=True)
    business_case = _document("The business case the council entered the partnership on.")
    business_case_approved_on = models.DateField(null=True, blank=True)
    constitution = _document("The partnership's constitution, where it has one.")
    data_sharing_agreement = _document("The data-sharing agreement, where data is shared.")
    equality_impact = models.CharField(
        "equality impact assessment", max_length=20, choices=choices.EqualityImpact.choices, blank=True
    )
    equality_impact_reason = models.TextField(blank=True, help_text="Why an assessment is not needed.")
    performance_management = models.TextField(
        "performance management method", blank=True, help_text="How the partnership's performance is managed."
    )

    # --- Risk ---
    risk_rating = models.CharField("overall risk rating", max_length=20, choices=choices.RiskRating.choices, blank=True)
    exit_strategy = models.TextField("exit or succession strategy", blank=True)

    # --- Dates ---
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    approval_date = models.DateField(null=True, blank=True, help_text="When Management Board approved the entry.")
    next_progress_report_due = models.DateField(null=True, blank=True)
    next_review_due = models.DateField("next annual review due", null=True, blank=True)

    # --- Publication ---
    is_public = models.BooleanField(
        "publish on the public register",
        default=True,
        help_text="Only active, under review and exiting entries appear, and only their public fields.",
    )

    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="partnership",
        for_concrete_model=False,
    )
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="partnership",
        for_concrete_model=False,
    )

    objects = PartnershipQuerySet.as_manager()

    # Only public fields are indexed, so a public search can never match on an internal
    # one (tests/partnerships check this against partnerships.public.fields).
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("reference"),
        index.AutocompleteField("reference"),
        index.SearchField("purpose"),
        index.SearchField("shared_objective"),
        # The place a visitor may search by ("county", "district"), as the public register names it.
        index.SearchField("get_geography_display"),
        index.RelatedFields(
            "partners",
            [index.RelatedFields("organisation", [index.SearchField("name"), index.AutocompleteField("name")])],
        ),
        index.RelatedFields("council_priorities", [index.SearchField("name")]),
        index.RelatedFields("service_area", [index.SearchField("name")]),
        # The places an entry covers ("Bewdley"), the public register's area filter.
        index.RelatedFields("areas", [index.SearchField("name")]),
        index.FilterField("live"),
        index.FilterField("is_public"),
        index.FilterField("status"),
        index.FilterField("level"),
        index.FilterField("basis"),
        index.FilterField("membership"),
        index.FilterField("geography"),
        index.FilterField("council_role"),
        index.FilterField("service_area"),
        index.FilterField("lead_officer"),
        index.FilterField("name"),
        index.FilterField("start_date"),
    ]

    class Meta:
        ordering = ["name"]
        permissions = [
            ("change_any_partnership", "Can change partnerships led by others"),
            ("view_register_reports", "Can see and download the register reports"),
            ("view_cabinet_exception_report", "Can see and download the Cabinet exception report"),
        ]
        indexes = [
            models.Index(fields=["status", "live", "is_public"], name="partnership_public_idx"),
            models.Index(fields=["next_review_due"], name="partnership_review_due_idx"),
            # The public register lists, counts and dates only public entries, and offers
            # the service areas they use: partial indexes answer each without a scan. The
            # filter columns ride in the listing's index, so a filtered count reads no rows.
            models.Index(
                "name",
                "id",
                "level",
                "basis",
                "geography",
                "council_role",
                "service_area",
                condition=PUBLIC_ENTRY,
                name="partnership_public_name_idx",
            ),
            models.Index(fields=["last_published_at"], condition=PUBLIC_ENTRY, name="partnership_public_updated_idx"),
            # The summary above the results (count and money by service area, for any of the
            # listing's filters) is read from this index alone, without visiting the rows.
            models.Index(
                fields=["service_area"],
                include=["id", "annual_contribution", "in_kind_value", "level", "basis", "geography", "council_role"],
                condition=PUBLIC_ENTRY,
                name="partnership_public_summary_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})
        if self.equality_impact == choices.EqualityImpact.NOT_NEEDED and not self.equality_impact_reason.strip():
            raise ValidationError({"equality_impact_reason": "Say why an equality impact assessment is not needed."})
        if self.legal_status == choices.LegalStatus.OTHER and not self.legal_status_detail.strip():
            raise ValidationError({"legal_status_detail": "Describe the legal status."})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        full_save = update_fields is None
        if full_save:
            self._fill_defaults()
        if self.live and (full_save or "live" in update_fields) and not self.has_approval_record():
            # The one guard on the way onto the register: Wagtail's publish, the admin's
            # views, the import and every command save through here.
            raise NotApprovedError(self)
        super().save(*args, **kwargs)
        if full_save:
            # The index is refreshed on post_save, which fires before ClusterableModel.save()
            # writes the child rows; index again so partner names are searchable at once.
            index.insert_or_update_object(self)

    def _fill_defaults(self):
        if not self.reference:
            self.reference = allocate_reference()
        elif self._state.adding:
            reserve_reference(self.reference)
        if not self.slug:
            self.slug = self._unique_slug()
        if self.head_of_service_id is None and self.service_area_id:
            self.head_of_service_id = self.service_area.head_of_service_id

    def _unique_slug(self):
        base = slugify(self.name)[:240] or slugify(self.reference)
        others = type(self).objects.exclude(pk=self.pk)
        slug, n = base, 1
        while others.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def has_approval_record(self):
        return self.pk is not None and ApprovalRecord.objects.filter(partnership_id=self.pk).exists()

    def lead_officer_name(self):
        return get_user_display_name(self.lead_officer)

    def head_of_service_name(self):
        return get_user_display_name(self.head_of_service)

    def champion_name(self):
        return get_user_display_name(self.champion)

    @property
    def is_significant(self):
        """Whether the annual contribution is above the threshold in RegisterSettings.

        Lists should use ``annotate_significant()`` (one setting read, one query);
        its annotation is reused here when present.
        """
        if hasattr(self, "over_threshold"):
            return self.over_threshold
        return is_significant(self.annual_contribution, RegisterSettings.load().significant_threshold)

    def governance_gaps(self):
        """Labels of what is missing.

        Lists annotate the flags in SQL (``annotate_governance_gaps``); otherwise they are
        read from this object, so a draft held in a revision is judged as it stands.
        """
        if all(hasattr(self, name) for name in GOVERNANCE_GAPS):
            flags = {name: getattr(self, name) for name in GOVERNANCE_GAPS}
        else:
            flags = {
                "gap_terms_of_reference": self.terms_of_reference_status != choices.TermsOfReferenceStatus.AGREED,
                "gap_business_case": self.business_case_id is None and not self.business_case_written,
                "gap_risk_assessment": not self.risks.all().exists(),
                "gap_equality_impact": not self.equality_impact,
            }
        return [label for name, label in GOVERNANCE_GAPS.items() if flags[name]]

    @property
    def next_due(self):
        """The next progress report or annual review, whichever comes first."""
        dates = [d for d in (self.next_progress_report_due, self.next_review_due) if d]
        return min(dates) if dates else None

    # --- Workflows ---

    @property
    def is_new_proposal(self):
        """Not yet approved by Management Board: it goes through the full approval."""
        return self.first_published_at is None and self.status in PROPOSAL_STATUSES

    def get_workflow(self):
        """New partnerships go to Management Board; edits to an approved entry only to a register manager.

        A declined proposal has no workflow at all: it cannot be submitted again. Nor has
        an entry never approved that is not a proposal (an imported "active" draft, say):
        it reaches the register only by a back-fill, or as a proposal to the Board.
        Wagtail assigns one workflow per snippet model (``WorkflowContentType``, the new
        partnership approval), so the lighter one is found by the name setup_portal gives it.
        """
        if self.status == choices.Status.REJECTED:
            return None
        if self.is_new_proposal:
            return super().get_workflow()
        if not self.has_approval_record():
            return None
        return Workflow.objects.active().filter(name=REGISTER_MODERATION_WORKFLOW).first()
