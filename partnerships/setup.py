"""The register's part of ``setup_portal`` (``portal.services.run_app_setup``): its private documents.

The collection and its permissions are made by ``portal.services.ensure_collection_permissions``
from ``partnerships.roles``; here it is restricted to the register roles, and documents the
register already points at are moved into it (on a portal set up before the collection existed,
they sit in the root collection, where anyone could download them).
"""

from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.roles import EDITORS, MODERATORS
from portal.services import collection_named

from .documents import documents_in_use
from .roles import REGISTER_DOCUMENTS, REGISTER_ROLES


def ensure_restriction(collection, report):
    restriction = CollectionViewRestriction.objects.filter(collection=collection).first()
    if restriction is None or restriction.restriction_type != CollectionViewRestriction.GROUPS:
        CollectionViewRestriction.objects.filter(collection=collection).delete()
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        report.add(f"view restriction on {collection.name}")
    wanted = set(Group.objects.filter(name__in=REGISTER_ROLES))
    if set(restriction.groups.all()) != wanted:
        restriction.groups.set(wanted)
        report.add(f"groups that may open {collection.name}")


def move_register_documents(collection, report):
    """Documents a register entry points at, or that a register role uploaded, belong in the collection.

    Runs before portal.services moves what is left in the root collection to "Site documents".
    """
    root = Collection.get_first_root_node()
    in_root = get_document_model().objects.filter(collection=root)
    # Only page editors and moderators used to put page documents here; the rest are the register's.
    uploaded_by_register = in_root.filter(uploaded_by_user__groups__name__in=REGISTER_ROLES).exclude(
        uploaded_by_user__groups__name__in=[EDITORS, MODERATORS]
    )
    referenced = get_document_model().objects.exclude(collection=collection).filter(pk__in=documents_in_use())
    moved = (referenced | uploaded_by_register).update(collection=collection)
    if moved:
        report.add(f"{moved} register documents moved into {collection.name}")


def ensure(report):
    collection = collection_named(REGISTER_DOCUMENTS, report)
    ensure_restriction(collection, report)
    move_register_documents(collection, report)
