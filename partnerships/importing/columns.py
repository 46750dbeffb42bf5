"""The register spreadsheet's columns, declared once.

The reader matches headings against this list, the validator parses each cell by
its kind, the downloadable templates and the export write it, and the admin page
and the Columns sheet document it. A column missing from a file leaves that field
alone on the entries it updates (and takes the default on new ones); a column
present with an empty cell means "empty" (or the default shown below).
"""

import functools
import re
from dataclasses import dataclass

from django.db.models import TextChoices

from partnerships.models import (
    Basis,
    CouncilRole,
    EqualityImpact,
    Geography,
    LegalStatus,
    Level,
    Membership,
    RiskRating,
    Status,
    TermsOfReferenceStatus,
)

# What each kind of cell holds, as the Columns sheet describes it.
KIND_FORMATS = {
    "reference": "The register reference, like P-0042",
    "text": "Text",
    "choice": "One of: {choices} (the wording or its short code; any capitals)",
    "date": "A date, day first: dd/mm/yyyy (or an Excel date)",
    "money": "Pounds, like £30,000 or 30000.50",
    "hours": "Hours, like 37.5",
    "yes_no": "Yes or No",
    "organisations": "Partner organisation names, separated by semicolons (;)",
    "priorities": "Council priority names, separated by semicolons (;)",
    "officer": "A person's full name or email address, as in their portal account",
    "service_area": "The name of a service area",
}


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str
    description: str
    example: str = ""
    required: bool = False
    choices: type[TextChoices] | None = None
    when_blank: str = ""
    aliases: tuple = ()

    @property
    def format(self):
        choices = ", ".join(label for _, label in self.choices.choices) if self.choices else ""
        return KIND_FORMATS[self.kind].format(choices=choices)

    @property
    def requirement(self):
        return "Required" if self.required else "Optional"

    def headings(self):
        """Every heading this column answers to, normalised."""
        return {normalise_heading(name) for name in (self.header, self.field, *self.aliases)}


@functools.lru_cache(maxsize=4096)  # a spreadsheet repeats the same few choices thousands of times
def normalise_heading(text):
    """'Annual council contribution (£)' → 'annual council contribution'; 'in_kind_hours' → 'in kind hours'."""
    text = re.sub(r"\([^)]*\)", " ", str(text or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


COLUMNS = [
    Column(
        "reference",
        "Reference",
        "reference",
        "Leave empty to add a new entry. Give an entry's reference to update that entry.",
        example="",
        when_blank="A new draft entry is created and given the next reference.",
    ),
    Column("name", "Name", "text", "The partnership's name.", example="Community Safety Partnership", required=True),
    Column(
        "purpose",
        "Purpose and aims",
        "text",
        "Why the partnership exists and what it aims to do.",
        example="To cut crime and the fear of crime across the district.",
        required=True,
    ),
    Column(
        "shared_objective",
        "Shared objective",
        "text",
        "The objective the partners work together to secure.",
        example="Safer streets",
    ),
    Column(
        "status",
        "Status",
        "choice",
        "Where the partnership is in its lifecycle (Approved, Live and Current read as Active). Imported entries are "
        "saved as drafts: one whose status says the council is already in it goes on the register only when a "
        "register manager records its earlier approval (a back-fill); anything else goes to Management Board.",
        example="Proposed",
        choices=Status,
        when_blank="Proposed for a new entry; unchanged for an existing one.",
    ),
    Column("level", "Level", "choice", "Strategic or operational.", example="Strategic", required=True, choices=Level),
    Column(
        "basis",
        "Basis",
        "choice",
        "Statutory (required by law) or voluntary.",
        example="Statutory",
        required=True,
        choices=Basis,
    ),
    Column(
        "membership",
        "Membership",
        "choice",
        "A single partner organisation or several.",
        example="Multi-organisation",
        required=True,
        choices=Membership,
    ),
    Column(
        "geography",
        "Geography",
        "choice",
        "The area the partnership covers.",
        example="District",
        required=True,
        choices=Geography,
    ),
    Column(
        "council_role",
        "Council role",
        "choice",
        "The council's role and rules of engagement.",
        example="Lead partner",
        required=True,
        choices=CouncilRole,
        aliases=("council's role",),
    ),
    Column(
        "legal_status",
        "Legal status",
        "choice",
        "The partnership's legal form.",
        example="Unincorporated association",
        choices=LegalStatus,
    ),
    Column(
        "legal_status_detail",
        "Legal status detail",
        "text",
        "Company or charity details, or what 'Other' means (required when the legal status is Other).",
    ),
    Column(
        "partners",
        "Partners",
        "organisations",
        "The other organisations in the partnership. Each must already be a partner organisation in the "
        "register, unless you choose to create the missing ones.",
        example="Anytown Police; Anytown Fire and Rescue Service",
        when_blank="No partners.",
        aliases=("partner organisations",),
    ),
    Column(
        "council_priorities",
        "Council priorities",
        "priorities",
        "The council priorities the partnership supports. Each must be a council priority in the register.",
        example="Safer communities",
        when_blank="No priorities.",
        aliases=("council priorities supported",),
    ),
    Column(
        "lead_officer",
        "Lead officer",
        "officer",
        "The officer responsible for the council's involvement. Give an email address if two people share a name.",
        example="jane.smith@council.example",
        required=True,
    ),
    Column(
        "head_of_service",
        "Head of Service",
        "officer",
        "The responsible Head of Service.",
        example="",
        when_blank="The service area's Head of Service.",
    ),
    Column(
        "service_area",
        "Service area",
        "service_area",
        "The council service responsible for the council's involvement.",
        example="Community Safety",
        required=True,
    ),
    Column(
        "annual_contribution",
        "Annual council contribution (£)",
        "money",
        "The council's financial contribution each year.",
        example="£30,000",
        when_blank="£0.",
        aliases=("annual council financial contribution", "annual contribution"),
    ),
    Column(
        "in_kind_hours",
        "In-kind officer time (hours a year)",
        "hours",
        "Officer time the council gives each year, in hours.",
        example="120",
        when_blank="0 hours.",
    ),
    Column(
        "external_funding",
        "External funding (£ a year)",
        "money",
        "External funding the partnership attracts each year.",
        example="£12,500.50",
        when_blank="£0.",
        aliases=("external funding attracted",),
    ),
    Column(
        "accountable_body_for_funds",
        "Accountable body for funds",
        "yes_no",
        "Whether the council is the accountable body for the partnership's funds.",
        example="No",
        when_blank="No.",
        aliases=("council is accountable body for funds",),
    ),
    Column(
        "terms_of_reference_status",
        "Terms of reference",
        "choice",
        "Whether the terms of reference are agreed, in draft, or there are none.",
        example="Agreed",
        choices=TermsOfReferenceStatus,
        when_blank="None.",
        aliases=("terms of reference status",),
    ),
    Column(
        "equality_impact",
        "Equality impact assessment",
        "choice",
        "Whether an equality impact assessment is done, planned or not needed.",
        example="Done",
        choices=EqualityImpact,
        when_blank="Not answered yet.",
    ),
    Column(
        "equality_impact_reason",
        "Equality impact reason",
        "text",
        "Why an assessment is not needed (required when the answer is Not needed).",
    ),
    Column(
        "risk_rating",
        "Overall risk rating",
        "choice",
        "The partnership's overall risk rating.",
        example="Medium",
        choices=RiskRating,
        when_blank="Not rated yet.",
        aliases=("risk rating",),
    ),
    Column(
        "performance_management",
        "Performance management method",
        "text",
        "How the partnership's performance is managed.",
        example="Quarterly performance report to the board",
    ),
    Column(
        "exit_strategy",
        "Exit strategy",
        "text",
        "How the council would leave the partnership, or what would succeed it.",
        example="Review in 2027; functions return to the council",
        aliases=("exit or succession strategy",),
    ),
    Column("start_date", "Start date", "date", "When the council joined.", example="01/04/2024"),
    Column("end_date", "End date", "date", "When the council's involvement ends, if known.", example=""),
    Column(
        "next_progress_report_due",
        "Next progress report due",
        "date",
        "When the next six-monthly progress report is due.",
        example="30/09/2024",
    ),
    Column(
        "next_review_due",
        "Next annual review due",
        "date",
        "When the next annual review is due.",
        example="31/03/2025",
        aliases=("next review due",),
    ),
    Column(
        "is_public",
        "Publish publicly",
        "yes_no",
        "Whether the entry appears on the public register once it is approved and active.",
        example="Yes",
        when_blank="Yes.",
        aliases=("on the public register", "publish on the public register"),
    ),
]

COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}
REQUIRED_COLUMNS = [column for column in COLUMNS if column.required]


def column_for_heading(heading):
    key = normalise_heading(heading)
    for column in COLUMNS:
        if key in column.headings():
            return column
    return None
