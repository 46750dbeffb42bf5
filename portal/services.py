"""Builds the portal: site tree and content, question sets, roles, page workflow.

Every step creates only what is missing, so ``setup_portal`` can run on every
deploy; pages and question sets that editors have since changed are left alone.
"""

import importlib
import logging
from pathlib import Path
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal import content_loader, roles
from portal.models import HomePage, IntranetHomePage, Question, QuestionSet
from portal.models.pages import ReviewedPage
from portal.signin import devices as signin_devices
from portal.signin.policy import needs_second_factor
from portal.training.setup import ensure_knowledge_checks

logger = logging.getLogger(__name__)

PAGE_WORKFLOW_NAME = "Framework and guidance moderation"
PAGE_TASK_NAME = "Moderator approval"
REVIEWED_FIELDS = {"content_owner", "review_by"}


class SetupReport:
    """Counts what a run created, so a second run can show it changed nothing."""

    def __init__(self):
        self.created = []

    def add(self, what):
        self.created.append(what)
        logger.debug("created %s", what)


def page_model(type_name):
    app_label, _, model_name = type_name.rpartition(".")
    return apps.get_model(app_label or "portal", model_name)


def _page_fields(spec, model, today):
    fields = {"title": spec["title"], "slug": spec["slug"]}
    for name in ("summary", "intro", "seo_title", "search_description"):
        if name in spec and hasattr(model, name):
            fields[name] = spec[name]
    fields["show_in_menus"] = spec.get("show_in_menus", False)
    if spec.get("body"):
        fields["body"] = content_loader.load_body(spec["body"])
    if "review_months" in spec and hasattr(model, "review_by"):
        fields["review_by"] = today + relativedelta(months=spec["review_months"])
    if spec.get("question_set"):
        fields["question_set"] = QuestionSet.objects.get(kind=spec["question_set"])
    return fields


def _ensure_page(parent, spec, report, today):
    model = page_model(spec["type"])
    page = parent.get_children().filter(slug=spec["slug"]).first()
    if page is None:
        page = model(**_page_fields(spec, model, today))
        parent.add_child(instance=page)
        page.save_revision().publish()
        report.add(f"page {page.url_path}")
    for child in spec.get("children", []):
        _ensure_page(page, child, report, today)
    return page


def site_address():
    """The hostname and port of PORTAL_BASE_URL, the portal's public address."""
    address = urlsplit(settings.PORTAL_BASE_URL)
    return address.hostname, address.port or (443 if address.scheme == "https" else 80)


def ensure_site_address(site, report):
    """The Site answers at the configured address, so page URLs, the sitemap and the API use it."""
    if (site.hostname, site.port) != site_address():
        site.hostname, site.port = site_address()
        site.save()
        report.add(f"site address {settings.PORTAL_BASE_URL}")


def _ensure_home(tree, report, today):
    # A flushed test database has lost even Wagtail's root page and collection.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migrations leave a placeholder "home" page (and a site on it);
        # the portal's home replaces both.
        Page.objects.filter(depth=2, slug="home").delete()
        home = HomePage(**_page_fields({**tree, "slug": "home"}, HomePage, today))
        root.add_child(instance=home)
        home.save_revision().publish()
        report.add("page /home/")
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page, site.site_name = home, tree["title"]
        site.save()
        report.add("default site")
    ensure_site_address(site, report)
    for child in tree.get("children", []):
        _ensure_page(home, child, report, today)
    return home


def ensure_question_sets(report):
    for data in content_loader.load_question_sets():
        question_set, created = QuestionSet.objects.get_or_create(
            kind=data["kind"], defaults={"title": data["title"], "introduction": data.get("introduction", "")}
        )
        if not created:
            continue
        Question.objects.bulk_create(
            Question(
                question_set=question_set,
                sort_order=position,
                code=str(item["code"]),
                section=item.get("section", ""),
                text=item["text"],
                guidance=item.get("guidance", ""),
                stops_when=item.get("stops_when", ""),
                stop_explanation=item.get("stop_explanation", ""),
            )
            for position, item in enumerate(data["questions"])
        )
        report.add(f"question set {question_set.kind} ({len(data['questions'])} questions)")


def ensure_site_tree(report, today=None):
    today = today or timezone.localdate()
    home = _ensure_home(content_loader.load_site_tree()["home"], report, today)
    for intranet in IntranetHomePage.objects.all():
        _, created = PageViewRestriction.objects.get_or_create(
            page=intranet, restriction_type=PageViewRestriction.LOGIN
        )
        if created:
            report.add(f"sign-in restriction on {intranet.url_path}")
    return home


def _permissions(names):
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def app_modules(name):
    """The other installed apps' ``name`` modules (``roles``, ``setup``), in INSTALLED_APPS order.

    Found as Django finds ``admin`` modules, without naming the apps that sit above the portal.
    """
    return [
        importlib.import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if config.name != "portal"
        and Path(config.path).is_relative_to(settings.BASE_DIR)
        and module_has_submodule(config.module, name)
    ]


def declared_role_permissions():
    """Merge ROLE_PERMISSIONS from portal.roles and every app's own roles module."""
    merged = {group: list(perms) for group, perms in roles.ROLE_PERMISSIONS.items()}
    for module in app_modules("roles"):
        for group, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(group, []).extend(perms)
    return merged


def ensure_groups(report, home):
    for name, perms in declared_role_permissions().items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            report.add(f"group {name}")
        wanted = set(_permissions(perms))
        if set(group.permissions.all()) != wanted:
            group.permissions.set(wanted)
            report.add(f"permissions of {name}")

    for name, codenames in roles.PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            _, created = GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
            if created:
                report.add(f"page permission {codename} for {name}")

    ensure_collection_permissions(report)


def declared_collection_permissions():
    """Merge COLLECTION_PERMISSIONS (collection name → group → permissions) from every roles module."""
    merged = {
        name: {group: list(perms) for group, perms in grants.items()}
        for name, grants in roles.COLLECTION_PERMISSIONS.items()
    }
    for module in app_modules("roles"):
        for name, grants in getattr(module, "COLLECTION_PERMISSIONS", {}).items():
            for group, perms in grants.items():
                merged.setdefault(name, {}).setdefault(group, []).extend(perms)
    return merged


def collection_named(name, report=None):
    """A top-level collection by name (None: the root), created when missing."""
    root = Collection.get_first_root_node()
    if name is None:
        return root
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
        if report is not None:
            report.add(f"collection {name}")
    return collection


def ensure_collection_permissions(report):
    """Grant exactly the declared permissions on each named collection, and take away any other.

    Earlier set-ups granted documents on the root collection, which reaches every collection
    below it; those grants must go, or page editors would keep a way into the register's papers.
    """
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_GROUPS)}
    for name, grants in declared_collection_permissions().items():
        collection = collection_named(name, report)
        wanted = {
            (groups[group].pk, permission.pk) for group, perms in grants.items() for permission in _permissions(perms)
        }
        held = GroupCollectionPermission.objects.filter(collection=collection, group__in=groups.values())
        for grant in held.select_related("group", "permission"):
            if (grant.group_id, grant.permission_id) not in wanted:
                grant.delete()
                report.add(f"collection permission {grant.permission.codename} taken from {grant.group.name}")
        have = set(held.values_list("group_id", "permission_id"))
        for group_id, permission_id in sorted(wanted - have):
            grant = GroupCollectionPermission.objects.create(
                group_id=group_id, collection=collection, permission_id=permission_id
            )
            report.add(f"collection permission {grant.permission.codename} for {grant.group.name} on {collection}")


def ensure_page_workflow(report, home):
    workflow, created = Workflow.objects.get_or_create(name=PAGE_WORKFLOW_NAME)
    if created:
        report.add(f"workflow {PAGE_WORKFLOW_NAME}")
    task = GroupApprovalTask.objects.filter(name=PAGE_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=PAGE_TASK_NAME)
        task.groups.set([Group.objects.get(name=roles.MODERATORS)])
        report.add(f"task {PAGE_TASK_NAME}")
    _, created = WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if created:
        report.add("workflow step")
    workflow_page = WorkflowPage.objects.filter(page=home).first()
    if workflow_page is None:
        WorkflowPage.objects.create(page=home, workflow=workflow)
        report.add(f"workflow on {home.url_path}")
    return workflow


def move_root_documents(report):
    """Documents left in the root collection (an older set-up) become site documents editors can use.

    Runs after the apps' set-up, so the register has first taken its own papers out of the root.
    """
    root = Collection.get_first_root_node()
    moved = (
        get_document_model().objects.filter(collection=root).update(collection=collection_named(roles.SITE_DOCUMENTS))
    )
    if moved:
        report.add(f"{moved} documents moved into {roles.SITE_DOCUMENTS}")


def run_app_setup(report):
    """Let the other apps add what they own (e.g. the register page, its workflows)."""
    for module in app_modules("setup"):
        module.ensure(report)


@transaction.atomic
def setup_portal(today=None):
    report = SetupReport()
    ensure_question_sets(report)
    home = ensure_site_tree(report, today)
    ensure_knowledge_checks(report)
    ensure_groups(report, home)
    ensure_page_workflow(report, home)
    run_app_setup(report)
    move_root_documents(report)
    return report


# --- Content owners: the review-by reminders go to them, so a page without one is never chased ---


def reviewed_page_models():
    return [model for model in apps.get_models() if issubclass(model, ReviewedPage)]


def pages_without_owner():
    return [page for model in reviewed_page_models() for page in model.objects.filter(content_owner__isnull=True)]


@transaction.atomic
def assign_content_owners(owner, report):
    """Make ``owner`` the content owner of every page with a review-by date that has none.

    Written to the page's row (what the reminders read) and as a new revision of its
    latest version, so neither publishing a waiting draft nor the next edit drops it.
    """
    for page in pages_without_owner():
        type(page).objects.filter(pk=page.pk).update(content_owner=owner)
        latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
        latest.content_owner = owner
        latest.save_revision(changed=False, clean=False)
        report.add(f"content owner of {page.url_path}")


DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - demo accounts exist only on a developer's machine
DEMO_USERS = [
    # username, first name, last name, groups, superuser
    ("admin", "Ada", "Admin", [], True),
    ("staff", "Sam", "Staff", [roles.STAFF], False),
    ("editor", "Eddie", "Editor", [roles.STAFF, roles.EDITORS], False),
    ("moderator", "Mo", "Moderator", [roles.STAFF, roles.MODERATORS], False),
    ("registrar", "Rita", "Register", [roles.STAFF, roles.REGISTER_MANAGERS], False),
    ("lead", "Lee", "Leadofficer", [roles.STAFF, roles.LEAD_OFFICERS], False),
    ("lead2", "Lena", "Leadofficer", [roles.STAFF, roles.LEAD_OFFICERS], False),
    ("head", "Hannah", "Head", [roles.STAFF, roles.HEADS_OF_SERVICE], False),
    ("head2", "Harry", "Head", [roles.STAFF, roles.HEADS_OF_SERVICE], False),
    ("board", "Bola", "Board", [roles.STAFF, roles.MANAGEMENT_BOARD], False),
    ("member", "Morgan", "Member", [roles.MEMBERS], False),
]


def create_demo_users(report):
    """Demo accounts, one per role. Only ``make run`` asks for them; never production set-up."""
    User = get_user_model()
    for username, first, last, group_names, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@council.example",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=group_names))
            report.add(f"demo user {username}")
        # Roles that change or decide sign in with a code: the demo ones share a published
        # secret (README), so a person walking the demo adds it to an authenticator once.
        if needs_second_factor(user) and not signin_devices.is_enrolled(user):
            signin_devices.give_demo_device(user)
            report.add(f"demo authenticator for {username}")
    return [(username, DEMO_PASSWORD, ", ".join(groups) or "superuser") for username, _, _, groups, _ in DEMO_USERS]
