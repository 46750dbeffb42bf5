"""The register's internal documents: one private collection, and a chooser that offers only it.

Business cases, terms of reference, constitutions, data-sharing agreements and meeting
papers are the council's internal papers (DESIGN: "a private collection, served only
through Wagtail's privacy-checking view"). ``partnerships.setup`` restricts the collection
to the register roles; Wagtail's document view (``/documents/<id>/<name>``) enforces that
restriction on every download.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.documents.views.chooser import (
    DocumentChooseResultsView,
    DocumentChooserUploadView,
    DocumentChooserViewSet,
    DocumentChooseView,
    DocumentChosenMultipleView,
    DocumentChosenView,
)
from wagtail.models import Collection

from .models import MeetingNote, Partnership
from .roles import REGISTER_DOCUMENTS

# Every document a register entry points at, by model.
PARTNERSHIP_DOCUMENT_FIELDS = ("terms_of_reference", "business_case", "constitution", "data_sharing_agreement")
MEETING_NOTE_DOCUMENT_FIELDS = ("attachment",)


def register_collection():
    """The private collection, or None before setup_portal has made it."""
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=REGISTER_DOCUMENTS).first() if root else None


def register_documents():
    """The documents in the private collection (none before setup_portal has made it)."""
    return get_document_model().objects.filter(collection=register_collection())


def documents_in_use():
    """Ids of every document a register entry (or one of its meeting notes) points at."""
    ids = set()
    for model, names in ((Partnership, PARTNERSHIP_DOCUMENT_FIELDS), (MeetingNote, MEETING_NOTE_DOCUMENT_FIELDS)):
        for name in names:
            ids.update(model.objects.filter(**{f"{name}__isnull": False}).values_list(f"{name}_id", flat=True))
    return ids


class RegisterCollectionMixin:
    """Narrow a Wagtail document chooser view to the register's collection."""

    @cached_property
    def collections(self):
        return None  # one collection: no collection filter, no collection column

    def get_object_list(self):
        return super().get_object_list().filter(collection=register_collection())

    def get_creation_form(self):
        # Uploads from the register land in the private collection, whatever else the user may add to.
        form = super().get_creation_form()
        collection = register_collection()
        if form is None or collection is None or not form.collections.filter(pk=collection.pk).exists():
            return None
        form.collections = Collection.objects.filter(pk=collection.pk)
        form.fields.pop("collection", None)
        return form


class RegisterDocumentChooseView(RegisterCollectionMixin, DocumentChooseView):
    pass


class RegisterDocumentChooseResultsView(RegisterCollectionMixin, DocumentChooseResultsView):
    pass


class RegisterDocumentUploadView(RegisterCollectionMixin, DocumentChooserUploadView):
    pass


class RegisterDocumentChosenView(DocumentChosenView):
    def get_object(self, pk):
        document = super().get_object(pk)
        if document.collection_id != getattr(register_collection(), "pk", None):
            raise Http404
        return document


class RegisterDocumentChosenMultipleView(DocumentChosenMultipleView):
    def get_objects(self, pks):
        return super().get_objects(pks).filter(collection=register_collection())


class RegisterDocumentChooserViewSet(DocumentChooserViewSet):
    choose_view_class = RegisterDocumentChooseView
    choose_results_view_class = RegisterDocumentChooseResultsView
    chosen_view_class = RegisterDocumentChosenView
    chosen_multiple_view_class = RegisterDocumentChosenMultipleView
    create_view_class = RegisterDocumentUploadView
    choose_one_text = "Choose an internal document"
    choose_another_text = "Choose another internal document"


register_document_chooser = RegisterDocumentChooserViewSet(
    "register_documents_chooser", model=get_document_model_string(), url_prefix="partnerships/documents/chooser"
)


def limit_to_register_documents(field, current_id=None):
    """A form's document field accepts only register documents (and the one already chosen)."""
    field.queryset = get_document_model().objects.filter(Q(collection=register_collection()) | Q(pk=current_id))
