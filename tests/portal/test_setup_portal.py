import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction, Revision, Site, Workflow

from portal import roles, services
from portal.models import IntranetHomePage, QuestionSet, SectionPage, ToolkitPage

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything setup_portal writes, in a comparable form."""
    return {
        "pages": sorted(
            (page.url_path, page.specific_class.__name__, page.title, page.live, page.latest_revision_id)
            for page in Page.objects.all()
        ),
        "revisions": Revision.objects.count(),
        "groups": sorted(
            (group.name, sorted(group.permissions.values_list("codename", flat=True))) for group in Group.objects.all()
        ),
        "questions": sorted((qs.kind, qs.questions.count()) for qs in QuestionSet.objects.all()),
        "restrictions": PageViewRestriction.objects.count(),
        "workflows": sorted(Workflow.objects.values_list("name", flat=True)),
    }


def test_second_run_changes_nothing():
    call_command("setup_portal")
    first = snapshot()
    report = services.setup_portal()
    assert report.created == []
    assert snapshot() == first


def test_second_run_keeps_an_editors_change(portal_site):
    page = SectionPage.objects.get(slug="framework")
    page.title = "Our framework"
    page.save_revision().publish()
    services.setup_portal()
    page.refresh_from_db()
    assert page.title == "Our framework"


def test_tree_has_the_public_framework_and_the_intranet(portal_site):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == portal_site
    framework = SectionPage.objects.get(slug="framework")
    slugs = set(framework.get_children().values_list("slug", flat=True))
    assert {
        "what-is-a-partnership",
        "why-we-work-in-partnership",
        "types-of-partnership",
        "risks-of-partnership-working",
        "the-five-stages",
        "the-partnership-register",
    } <= slugs
    intranet = IntranetHomePage.objects.get()
    sections = set(intranet.get_children().values_list("slug", flat=True))
    assert {"guidance", "toolkit", "training"} <= sections
    assert PageViewRestriction.objects.filter(page=intranet, restriction_type=PageViewRestriction.LOGIN).exists()


def test_the_checklist_has_eight_sections(portal_site):
    checklist = QuestionSet.objects.get(kind="checklist")
    sections = [section for section, _ in checklist.sections()]
    assert sections[:8] == [
        "Rationale for the partnership",
        "Added value from the partnership",
        "Governance arrangements",
        "Performance management",
        "Financial management",
        "Risk management",
        "Termination arrangements",
        "Serving the public",
    ]
    assert ToolkitPage.objects.get(slug="partnership-checklist").question_set == checklist


def test_every_page_body_was_loaded(portal_site):
    for page in Page.objects.live().filter(depth__gt=2).specific():
        if hasattr(page, "body"):
            assert len(page.body) > 0, f"{page.url_path} has an empty body"


def test_roles_have_least_privilege(portal_site):
    staff = Group.objects.get(name=roles.STAFF)
    assert staff.permissions.count() == 0
    editors = Group.objects.get(name=roles.EDITORS)
    editor_page_perms = set(editors.page_permissions.values_list("permission__codename", flat=True))
    assert editor_page_perms == {"add_page", "change_page"}
    moderators = Group.objects.get(name=roles.MODERATORS)
    assert "publish_page" in moderators.page_permissions.values_list("permission__codename", flat=True)


def test_framework_pages_are_moderated_by_moderators(portal_site):
    page = SectionPage.objects.get(slug="framework")
    workflow = page.get_workflow()
    assert workflow.name == services.PAGE_WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [roles.MODERATORS]


def test_demo_users_only_on_request(portal_site, django_user_model):
    assert not django_user_model.objects.filter(username="board").exists()
    call_command("setup_portal", "--demo-users")
    board = django_user_model.objects.get(username="board")
    assert board.groups.filter(name=roles.MANAGEMENT_BOARD).exists()
    assert board.check_password(services.DEMO_PASSWORD)


def test_guidance_pages_get_a_content_owner_who_is_reminded_to_review_them(
    portal_site, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("setup_portal", "--demo-users")
    pages = services.pages_without_owner()
    assert pages == []
    guidance = [p for model in services.reviewed_page_models() for p in model.objects.filter(review_by__isnull=False)]
    assert guidance
    assert {page.content_owner.username for page in guidance} == {"editor"}
    # The next edit starts from the latest revision, which keeps the owner.
    assert {page.get_latest_revision_as_object().content_owner_id for page in guidance} == {
        guidance[0].content_owner_id
    }

    due = min(page.review_by for page in guidance)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_review_reminders", "--date", due.isoformat())
    assert any("editor@council.example" in message.to for message in mailoutbox)


def test_without_an_owner_set_up_says_no_one_will_be_reminded(portal_site, capsys):
    call_command("setup_portal")
    assert "have no content owner" in capsys.readouterr().out
    call_command("setup_portal", "--demo-users")
    assert "have no content owner" not in capsys.readouterr().out
