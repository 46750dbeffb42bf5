"""The register in the Wagtail admin: one "Partnerships" menu of snippet viewsets."""

from django import forms
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.utils import get_user_display_name
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from . import admin_views
from .admin_views import RegisterSnippetViewSet
from .choosers import PermissionCheckedChooserMixin
from .contact.viewsets import PublicReportViewSet
from .documents import register_document_chooser
from .filters import PartnershipFilterSet
from .forms import PartnershipForm, ServiceAreaForm
from .models import Area, CouncilPriority, PartnerOrganisation, Partnership, ServiceArea, Status
from .permissions import CHANGE_ANY, PartnershipPermissionPolicy
from .proposals import views as proposal_views
from .proposals.panels import ProposalProgressPanel
from .reviews.viewsets import AnnualReviewViewSet, ProgressReportViewSet

MANAGERS_ONLY = {"permission": CHANGE_ANY}
# Register documents are chosen from, and uploaded to, the private collection only.
INTERNAL_DOCUMENT = register_document_chooser.widget_class

partnership_edit_handler = TabbedInterface(
    [
        ObjectList(
            [
                ProposalProgressPanel(heading="Before you submit"),
                FieldPanel("reference", read_only=True),
                # Even a draft needs its name: a nameless one is nobody's, yet takes a reference.
                FieldPanel("name", required_on_save=True),
                FieldPanel("status", **MANAGERS_ONLY),
                FieldPanel("purpose"),
                FieldPanel("shared_objective"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading="Dates"),
            ],
            heading="Overview",
        ),
        # The proposal to Management Board: screening, checklist and business case.
        ObjectList(
            [
                ProposalProgressPanel(heading="Before you submit"),
                FieldPanel("screening"),
                FieldPanel("checklist"),
                MultiFieldPanel(
                    [
                        FieldPanel("objectives"),
                        FieldPanel("priorities_served"),
                        FieldPanel("added_value"),
                        FieldPanel("costs_and_resources"),
                        FieldPanel("funding"),
                    ],
                    heading="Business case",
                    help_text="Exit arrangements go under Risk; the figures under Money.",
                ),
            ],
            heading="Proposal",
        ),
        ObjectList(
            [
                MultiFieldPanel(
                    [FieldPanel("level"), FieldPanel("basis"), FieldPanel("membership"), FieldPanel("geography")],
                    heading="Type of partnership",
                ),
                FieldPanel("council_role"),
                FieldPanel("rules_of_engagement"),
                FieldRowPanel([FieldPanel("legal_status"), FieldPanel("legal_status_detail")], heading="Legal status"),
                FieldPanel("council_priorities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
                InlinePanel("partners", heading="Partner organisations", label="Partner"),
            ],
            heading="Classification",
        ),
        ObjectList(
            [
                FieldPanel("lead_officer"),
                FieldPanel("public_contact", widget=forms.RadioSelect),
                FieldPanel("service_area"),
                FieldPanel("head_of_service"),
                FieldPanel("champion"),
                InlinePanel("representatives", heading="Council representatives", label="Representative"),
            ],
            heading="People",
        ),
        ObjectList(
            [
                FieldPanel("annual_contribution"),
                FieldRowPanel([FieldPanel("in_kind_hours"), FieldPanel("in_kind_value")], heading="Officer time"),
                FieldPanel("in_kind_notes"),
                FieldPanel("external_funding"),
                FieldPanel("accountable_body_for_funds"),
            ],
            heading="Money",
        ),
        ObjectList(
            [
                MultiFieldPanel(
                    [
                        FieldPanel("terms_of_reference_status"),
                        FieldPanel("terms_of_reference", widget=INTERNAL_DOCUMENT),
                        FieldPanel("terms_of_reference_renewal_date"),
                    ],
                    heading="Terms of reference",
                ),
                MultiFieldPanel(
                    [FieldPanel("business_case", widget=INTERNAL_DOCUMENT), FieldPanel("business_case_approved_on")],
                    heading="Business case",
                ),
                FieldPanel("constitution", widget=INTERNAL_DOCUMENT),
                FieldPanel("data_sharing_agreement", widget=INTERNAL_DOCUMENT),
                MultiFieldPanel(
                    [FieldPanel("equality_impact"), FieldPanel("equality_impact_reason")],
                    heading="Equality impact assessment",
                ),
                FieldPanel("performance_management"),
                MultiFieldPanel(
                    [
                        FieldPanel("approval_date", **MANAGERS_ONLY),
                        FieldPanel("next_progress_report_due"),
                        FieldPanel("next_review_due"),
                    ],
                    heading="Approval and review",
                ),
            ],
            heading="Governance",
        ),
        ObjectList(
            [
                FieldPanel("risk_rating"),
                InlinePanel("risks", heading="Risk register", label="Risk or opportunity"),
                FieldPanel("exit_strategy"),
            ],
            heading="Risk",
        ),
        ObjectList(
            [
                InlinePanel(
                    "meeting_notes",
                    heading="Meeting notes",
                    label="Meeting",
                    panels=[
                        FieldPanel("date"),
                        FieldPanel("notes"),
                        FieldPanel("attachment", widget=INTERNAL_DOCUMENT),
                        FieldPanel("publish_notes"),
                    ],
                ),
                InlinePanel("activity_summaries", heading="Annual activity summaries", label="Summary"),
            ],
            heading="Meetings and summaries",
        ),
        ObjectList([FieldPanel("is_public"), FieldPanel("slug")], heading="Publication"),
    ],
    base_form_class=PartnershipForm,
)


class PartnershipViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    model = Partnership
    icon = "group"
    menu_label = "Register"
    menu_order = 100
    list_per_page = 50
    ordering = "name"
    copy_view_enabled = False  # a copy would carry the original's reference and slug
    inspect_view_enabled = True
    edit_handler = partnership_edit_handler
    filterset_class = PartnershipFilterSet

    index_view_class = admin_views.PartnershipIndexView
    # The proposal rules on top of the register's own views.
    add_view_class = proposal_views.ProposalCreateView
    edit_view_class = proposal_views.ProposalEditView
    delete_view_class = admin_views.PartnershipDeleteView
    inspect_view_class = proposal_views.ProposalInspectView
    workflow_action_view_class = proposal_views.ProposalWorkflowActionView
    history_view_class = admin_views.PartnershipHistoryView
    revisions_compare_view_class = admin_views.PartnershipRevisionsCompareView
    unpublish_view_class = admin_views.PartnershipUnpublishView
    lock_view_class = admin_views.PartnershipLockView
    unlock_view_class = admin_views.PartnershipUnlockView

    list_display = [
        "reference",
        "name",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            sort_key="status",
            primary=lambda p: p.status == Status.ACTIVE,
        ),
        Column("lead_officer", label="Lead officer", accessor="lead_officer_name", sort_key="lead_officer__last_name"),
        Column("service_area", label="Service area", sort_key="service_area__name"),
        "next_review_due",
        "risk_rating",
    ]
    list_export = [
        "reference",
        "name",
        "get_status_display",
        "get_level_display",
        "get_basis_display",
        "get_membership_display",
        "get_geography_display",
        "get_council_role_display",
        "get_legal_status_display",
        "service_area",
        "lead_officer_name",
        "head_of_service_name",
        "champion_name",
        "annual_contribution",
        "in_kind_hours",
        "in_kind_value",
        "external_funding",
        "accountable_body_for_funds",
        "is_significant",
        "get_risk_rating_display",
        "get_terms_of_reference_status_display",
        "get_equality_impact_display",
        "start_date",
        "end_date",
        "approval_date",
        "next_progress_report_due",
        "next_review_due",
        "is_public",
        "live",
    ]
    export_headings = {
        "get_status_display": "Status",
        "get_level_display": "Level",
        "get_basis_display": "Basis",
        "get_membership_display": "Membership",
        "get_geography_display": "Geography",
        "get_council_role_display": "Council role",
        "get_legal_status_display": "Legal status",
        "lead_officer_name": "Lead officer",
        "head_of_service_name": "Head of Service",
        "champion_name": "Champion",
        "is_significant": "Significant",
        "get_risk_rating_display": "Overall risk rating",
        "get_terms_of_reference_status_display": "Terms of reference",
        "get_equality_impact_display": "Equality impact assessment",
        "is_public": "On the public register",
        "live": "Published",
    }
    export_filename = "partnership-register"
    inspect_view_fields = [
        "reference",
        "name",
        "status",
        "purpose",
        "shared_objective",
        "level",
        "basis",
        "membership",
        "geography",
        "council_role",
        "rules_of_engagement",
        "legal_status",
        "legal_status_detail",
        "partners",
        "council_priorities",
        "lead_officer",
        "head_of_service",
        "champion",
        "service_area",
        "representatives",
        "annual_contribution",
        "in_kind_hours",
        "in_kind_value",
        "external_funding",
        "accountable_body_for_funds",
        "is_significant",
        "terms_of_reference_status",
        "terms_of_reference",
        "terms_of_reference_renewal_date",
        "business_case",
        "business_case_approved_on",
        "constitution",
        "data_sharing_agreement",
        "equality_impact",
        "equality_impact_reason",
        "performance_management",
        "risk_rating",
        "risks",
        "exit_strategy",
        "start_date",
        "end_date",
        "approval_date",
        "next_progress_report_due",
        "next_review_due",
        "is_public",
        "slug",
    ]

    @cached_property
    def permission_policy(self):
        return PartnershipPermissionPolicy(self.model)

    def get_queryset(self, request):
        # Everything the listing and the export show, in a fixed number of queries.
        return Partnership.objects.with_people().select_related("latest_revision", "champion").annotate_significant()


class PartnerOrganisationViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    model = PartnerOrganisation
    icon = "site"
    menu_label = "Partner organisations"
    menu_order = 200
    list_display = ["name", "sector", "website", "registered_number"]
    list_filter = ["sector"]
    list_export = ["name", "get_sector_display", "website", "registered_number"]
    export_headings = {"get_sector_display": "Sector"}
    export_filename = "partner-organisations"
    ordering = "name"
    inspect_view_enabled = True


class CouncilPriorityViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    model = CouncilPriority
    icon = "pick"
    menu_label = "Council priorities"
    menu_order = 300
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = "name"
    inspect_view_enabled = True


class ServiceAreaViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    model = ServiceArea
    icon = "home"
    menu_label = "Service areas"
    menu_order = 400
    list_display = [
        "name",
        Column("head_of_service", label="Head of Service", accessor=lambda s: get_user_display_name(s.head_of_service)),
    ]
    search_fields = ["name"]
    search_backend_name = None
    ordering = "name"
    inspect_view_enabled = True
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("head_of_service")], base_form_class=ServiceAreaForm)

    def get_queryset(self, request):
        return ServiceArea.objects.select_related("head_of_service")


class AreaViewSet(PermissionCheckedChooserMixin, RegisterSnippetViewSet):
    model = Area
    icon = "site"
    menu_label = "Areas covered"
    menu_order = 450
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = "name"


class PartnershipsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Partnerships"
    menu_icon = "group"
    menu_order = 250
    items = (
        PartnershipViewSet,
        PartnerOrganisationViewSet,
        CouncilPriorityViewSet,
        ServiceAreaViewSet,
        AreaViewSet,
        ProgressReportViewSet,
        AnnualReviewViewSet,
        PublicReportViewSet,
    )
