"""The register's internal documents stay inside the register roles.

Business cases, terms of reference, constitutions, data-sharing agreements and meeting
papers live in the "Register documents" collection; only register managers, lead officers,
Heads of Service and Management Board may open them, through /documents/ (Wagtail's
privacy-checking view), and nobody at all through /media/.
"""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from partnerships.documents import MEETING_NOTE_DOCUMENT_FIELDS, PARTNERSHIP_DOCUMENT_FIELDS, register_collection
from partnerships.models import MeetingNote
from partnerships.roles import REGISTER_DOCUMENTS, REGISTER_ROLES
from portal import roles, services
from tests.partnerships.factories import PartnershipFactory

Document = get_document_model()
DOCUMENT_FIELDS = [*PARTNERSHIP_DOCUMENT_FIELDS, *(f"meeting note {name}" for name in MEETING_NOTE_DOCUMENT_FIELDS)]


def make_document(title, collection, content=None):
    content = content or f"INTERNAL PAPER {title}".encode()
    document = Document(title=title, collection=collection)
    document.file.save(f"{title.lower().replace(' ', '-')}.txt", ContentFile(content), save=False)
    document.file_size, document.file_hash = len(content), hashlib.sha1(content, usedforsecurity=False).hexdigest()
    document.save()
    return document


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def register_papers(portal_site, media_root):
    """An entry with a document in every document field of the register, each with its own content."""
    collection = register_collection()
    entry = PartnershipFactory(name="Papers Partnership")
    papers = {}
    for name in PARTNERSHIP_DOCUMENT_FIELDS:
        papers[name] = make_document(f"Paper {name}", collection)
        setattr(entry, name, papers[name])
    papers["meeting note attachment"] = make_document("Paper minutes", collection)
    entry.meeting_notes = [
        MeetingNote(date=datetime.date(2026, 3, 1), notes="Minutes", attachment=papers["meeting note attachment"])
    ]
    entry.save()
    return papers


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def media_url(document):
    return f"/media/{document.file.name}"


@pytest.fixture
def outsider(request, make_user, portal_site):
    """Someone outside the register roles: anonymous, any signed-in officer, a page editor or moderator."""
    return {
        "anonymous": lambda: None,
        "staff": lambda: make_user(roles.STAFF),
        "editor": lambda: make_user(roles.STAFF, roles.EDITORS),
        "moderator": lambda: make_user(roles.STAFF, roles.MODERATORS),
    }[request.param]()


@pytest.mark.parametrize("outsider", ["anonymous", "staff", "editor", "moderator"], indirect=True)
def test_outsiders_get_no_content_from_any_register_document(client, outsider, register_papers):
    if outsider is not None:
        client.force_login(outsider)
    assert sorted(register_papers) == sorted(DOCUMENT_FIELDS)
    for field, document in register_papers.items():
        with document.file.open("rb") as file:
            secret = file.read()

        through_view = client.get(document.url)
        if outsider is None:
            assert through_view.status_code == 302, field
            assert through_view["Location"].startswith("/sign-in/"), field
        else:  # signing in again would not help: refused outright rather than sent round to sign-in
            assert through_view.status_code == 403, field
        assert secret not in content(through_view), field

        through_media = client.get(media_url(document))
        assert through_media.status_code == 404, field
        assert secret not in content(through_media), field


@pytest.mark.parametrize("role", REGISTER_ROLES)
def test_register_roles_download_every_register_document(client, make_user, register_papers, role):
    client.force_login(make_user(roles.STAFF, role))
    for field, document in register_papers.items():
        response = client.get(document.url)
        assert response.status_code == 200, field
        assert content(response) == f"INTERNAL PAPER {document.title}".encode(), field
        # The file itself is still not served by URL, to them either.
        assert client.get(media_url(document)).status_code == 404


def test_path_tricks_under_media_reach_no_document(client, register_papers):
    document = register_papers["business_case"]
    for path in (
        f"/media/images/../{document.file.name}",
        f"/media/images/%2e%2e/{document.file.name}",
        f"/media/images/..%2f{document.file.name}",
        f"/media/original_images/../{document.file.name}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path


def test_image_renditions_are_still_served_from_media(client, media_root, portal_site):
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "logo.width-200.png").write_bytes(b"PNG rendition")
    response = client.get("/media/images/logo.width-200.png")
    assert response.status_code == 200
    assert content(response) == b"PNG rendition"


@pytest.mark.parametrize("group", [roles.EDITORS, roles.MODERATORS])
def test_page_editors_cannot_see_or_change_register_documents_in_the_admin(client, make_user, register_papers, group):
    make_document("Framework leaflet", services.collection_named(roles.SITE_DOCUMENTS))
    client.force_login(make_user(roles.STAFF, group))

    listing = client.get(reverse("wagtaildocs:index"))
    assert listing.status_code == 200
    assert "Framework leaflet" in listing.content.decode()  # their own documents are listed
    chooser = client.get(reverse("wagtaildocs_chooser:choose"))
    assert "Framework leaflet" in chooser.json()["html"]
    for document in register_papers.values():
        assert document.title not in listing.content.decode()
        assert document.title not in chooser.json()["html"]
        edit = client.get(reverse("wagtaildocs:edit", args=[document.pk]))
        assert edit.status_code in (302, 403)
        assert document.title not in edit.content.decode()
        client.post(reverse("wagtaildocs:delete", args=[document.pk]))
        assert Document.objects.filter(pk=document.pk).exists()
    # They cannot upload into the register's collection either.
    add = client.get(reverse("wagtaildocs:add"))
    assert REGISTER_DOCUMENTS not in add.content.decode()


def test_no_page_role_holds_a_document_permission_that_reaches_the_register_collection(portal_site):
    collection = register_collection()
    reaching = GroupCollectionPermission.objects.filter(
        collection__in=collection.get_ancestors(inclusive=True), permission__content_type__app_label="wagtaildocs"
    )
    assert set(reaching.values_list("group__name", flat=True)) == set(REGISTER_ROLES)
    assert collection.get_view_restrictions().get().groups.count() == len(REGISTER_ROLES)


def test_the_register_chooser_offers_only_register_documents(client, make_user, register_papers):
    make_document("Framework leaflet", services.collection_named(roles.SITE_DOCUMENTS))
    make_document("Stray root paper", Collection.get_first_root_node())
    client.force_login(make_user(roles.STAFF, roles.REGISTER_MANAGERS))
    html = client.get(reverse("register_documents_chooser:choose")).json()["html"]
    for document in register_papers.values():
        assert document.title in html
    assert "Framework leaflet" not in html
    assert "Stray root paper" not in html


def test_uploads_from_the_register_land_in_the_private_collection(client, make_user, portal_site, media_root):
    client.force_login(make_user(roles.STAFF, roles.LEAD_OFFICERS))
    response = client.post(
        reverse("register_documents_chooser:create"),
        {
            "document-chooser-upload-title": "Business case draft",
            "document-chooser-upload-file": ContentFile(b"draft business case", name="case.txt"),
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["step"] == "chosen"
    document = Document.objects.get(title="Business case draft")
    assert document.collection == register_collection()


def test_the_register_form_refuses_a_document_from_outside_the_collection(client, make_user, portal_site, media_root):
    from tests.workflows.factories import edit

    manager = make_user(roles.STAFF, roles.REGISTER_MANAGERS)
    entry = PartnershipFactory(live=False, lead_officer=manager)
    leaflet = make_document("Framework leaflet", services.collection_named(roles.SITE_DOCUMENTS))
    client.force_login(manager)
    response = edit(client, entry, action=None, business_case=str(leaflet.pk))
    assert response.status_code == 200  # the form again, with the error
    entry.refresh_from_db()
    assert entry.business_case_id is None


def test_setup_moves_documents_the_register_uses_out_of_the_root_collection(portal_site, media_root):
    root = Collection.get_first_root_node()
    entry = PartnershipFactory()
    entry.business_case = make_document("Old business case", root)
    entry.meeting_notes = [
        MeetingNote(date=datetime.date(2020, 1, 1), notes="n", attachment=make_document("Old minutes", root))
    ]
    entry.save()
    leaflet = make_document("Old leaflet", root)

    services.setup_portal()

    assert set(Document.objects.filter(collection=register_collection()).values_list("title", flat=True)) >= {
        "Old business case",
        "Old minutes",
    }
    leaflet.refresh_from_db()
    assert leaflet.collection.name == roles.SITE_DOCUMENTS  # still the editors' to use


def test_setup_takes_back_document_permissions_granted_on_the_root(portal_site):
    root = Collection.get_first_root_node()
    editors = Group.objects.get(name=roles.EDITORS)
    from django.contrib.auth.models import Permission

    choose = Permission.objects.get(content_type__app_label="wagtaildocs", codename="choose_document")
    GroupCollectionPermission.objects.create(group=editors, collection=root, permission=choose)
    services.setup_portal()
    assert not GroupCollectionPermission.objects.filter(group=editors, collection=root, permission=choose).exists()


def test_meeting_notes_are_internal_unless_the_council_chooses_to_publish_them(client, portal_site):
    note = MeetingNote(date=datetime.date(2026, 2, 2), notes="Zqunpublishednotesx")
    assert note.publish_notes is False
    field = MeetingNote._meta.get_field("publish_notes")
    assert field.verbose_name == "publish these notes" and field.help_text
    entry = PartnershipFactory(name="Notes Partnership", meeting_notes=[note])
    for url in (f"/partnerships/{entry.slug}/", "/partnerships/register.json", "/partnerships/register.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Zqunpublishednotesx" not in content(response).decode(), url


@pytest.fixture(params=["portal.settings.dev", "portal.settings.production"], ids=["dev", "production"])
def environment(request, settings):
    """The settings that decide how files are served, as dev.py and production.py give them.

    Read in a fresh interpreter (as tests/portal/test_settings.py does), then applied here with
    the URL configuration rebuilt, since portal/urls.py reads DEBUG when it is imported.
    """
    import importlib

    from django.urls import clear_url_caches

    import portal.urls
    from tests.portal.test_settings import load_settings

    values = load_settings(request.param, "DEBUG", "WAGTAILDOCS_SERVE_METHOD", "MEDIA_URL", "STORAGES")
    settings.DEBUG = values["DEBUG"]
    settings.WAGTAILDOCS_SERVE_METHOD = values["WAGTAILDOCS_SERVE_METHOD"]
    settings.MEDIA_URL = values["MEDIA_URL"]
    settings.STORAGES = {**settings.STORAGES, "default": values["STORAGES"]["default"]}
    clear_url_caches()
    importlib.reload(portal.urls)
    yield request.param
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(portal.urls)


def test_under_dev_and_production_settings_only_register_roles_get_a_document(
    environment, client, make_user, register_papers
):
    people = {
        "anonymous": None,
        "staff": make_user(roles.STAFF),
        "editor": make_user(roles.STAFF, roles.EDITORS),
        "register manager": make_user(roles.STAFF, roles.REGISTER_MANAGERS),
    }
    for who, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for field, document in register_papers.items():
            with document.file.open("rb") as file:
                secret = file.read()
            through_view = client.get(document.url)
            assert client.get(media_url(document)).status_code == 404, (environment, who, field)
            if who == "register manager":
                assert through_view.status_code == 200, (environment, field)
                assert content(through_view) == secret
            else:
                assert through_view.status_code == (302 if user is None else 403), (environment, who, field)
                assert secret not in content(through_view)
