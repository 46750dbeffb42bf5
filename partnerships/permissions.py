"""Who may do what to a register entry.

Django permissions are per model, but the Framework gives each partnership one
lead officer who keeps it up to date. So the "Lead officers" group holds the
ordinary add/change permissions, and this policy narrows change (and anything
else done to an existing entry) to the entries the user leads, unless they also
hold ``change_any_partnership`` — which register managers do.

A proposal Management Board has declined is kept as it was decided: only register
managers may change it.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.permission_policies import ModelPermissionPolicy

from portal.roles import HEADS_OF_SERVICE

from .models import Partnership
from .models.choices import Status

CHANGE_ANY = "partnerships.change_any_partnership"
# The register reports cover every entry, money and governance included, which lead
# officers see only for their own; the Cabinet exception report is the Cabinet's paper.
VIEW_REGISTER_REPORTS = "partnerships.view_register_reports"
VIEW_CABINET_EXCEPTION_REPORT = "partnerships.view_cabinet_exception_report"

# Actions on one existing entry that a lead officer may take only on their own.
OWN_ENTRY_ACTIONS = frozenset({"change", "delete", "publish", "lock", "unlock"})


def can_change_any(user):
    return user.is_active and user.has_perm(CHANGE_ANY)


def can_view_reports(user):
    """Register managers, Management Board and Heads of Service (and superusers).

    Django remembers the user's permissions on the user object, so the menu asking
    once per report on every admin page costs one query.
    """
    return user.has_perm(VIEW_REGISTER_REPORTS)


def can_view_exception_report(user):
    return user.has_perm(VIEW_CABINET_EXCEPTION_REPORT)


def leads(user, partnership):
    return user.is_authenticated and partnership.lead_officer_id == user.pk


class PartnershipPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action not in OWN_ENTRY_ACTIONS:
            return True
        if can_change_any(user):
            return True
        return leads(user, instance) and getattr(instance, "status", None) != Status.REJECTED

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if not set(actions) <= OWN_ENTRY_ACTIONS or can_change_any(user):
            return instances
        return instances.filter(lead_officer=user) if user.is_authenticated else instances.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        if not set(actions) <= OWN_ENTRY_ACTIONS:
            return users
        managers = self._get_users_with_any_permission_codenames(["change_any_partnership"])
        return users.filter(Q(pk__in=managers.values("pk")) | Q(pk=instance.lead_officer_id))


# --- Progress reports and annual reviews ---
# Made by whoever answers for the entry: its lead officer and its Head of Service (the
# service area's head when the entry names none), or a register manager for any entry.


def may_submit_reviews(user, partnership):
    """Whether ``user`` may submit a progress report or annual review for ``partnership``."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_change_any(user):
        return True
    head_id = partnership.head_of_service_id
    if head_id is None and partnership.service_area_id:
        head_id = partnership.service_area.head_of_service_id
    return user.pk in {partnership.lead_officer_id, head_id}


def answered_for_by(user, partnerships):
    """Those of ``partnerships`` ``user`` may submit reports and reviews for (``may_submit_reviews`` in SQL)."""
    if not (user.is_authenticated and user.is_active):
        return partnerships.none()
    if can_change_any(user):
        return partnerships
    return partnerships.filter(
        Q(lead_officer=user)
        | Q(head_of_service=user)
        | Q(head_of_service__isnull=True, service_area__head_of_service=user)
    )


def proposal_url(user):
    """Where ``user`` proposes a new partnership (the snippet's add form), or None if they may not."""
    if not user.has_perm("partnerships.add_partnership"):
        return None
    return reverse(Partnership.snippet_viewset.get_url_name("add"))


# --- Who may be the Head of Service on an entry ---


def heads_of_service():
    """People who may be named Head of Service: active members of the Heads of Service group.

    A superuser is an administrator, not a decider, even when put in the group.
    """
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, groups__name=HEADS_OF_SERVICE)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def head_of_service_problem(head, *, lead_officer_id=None, proposer_id=None):
    """Why ``head`` cannot endorse a proposal, said for the Head of Service field; None when they can.

    The Head of Service endorses on the council's behalf, so it is never the person
    whose proposal it is (seeds 001 2.7, 004 8.1): not its lead officer, not its proposer.
    """
    if head is None:
        return None
    name = get_user_display_name(head)
    if not head.is_active:
        return f"{name} can no longer sign in: choose a Head of Service who can endorse it."
    if head.is_superuser or not head.groups.filter(name=HEADS_OF_SERVICE).exists():
        return f"{name} is not in the Heads of Service group: choose a Head of Service from it."
    if head.pk == lead_officer_id:
        return f"{name} is the lead officer: the Head of Service who endorses must be someone else."
    if head.pk == proposer_id:
        return f"{name} is making this proposal: the Head of Service who endorses must be someone else."
    return None
