"""No silent lost updates: a form opened on an older revision than the latest is not saved.

Wagtail's edit forms already carry the revision they were opened on (the hidden
``loaded_revision_id`` and ``loaded_revision_created_at``, which its autosave updates), and
its edit views compute ``is_out_of_date`` from them, but refuse only autosave requests: a
person pressing Save or Publish on a stale form silently reverted whatever was published in
between. These views refuse that too, say who changed what and when, link to Wagtail's
revision comparison, and show the form again as the latest revision with the person's own
changes put back on top, so saving again keeps both.
"""

from django.contrib.admin.utils import quote
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView as WagtailPageEditView


def person(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


class StaleFormMixin:
    """Shared by the snippet and page edit views: finding the base revision and re-applying changes."""

    def base_revision(self, revisions):
        revision_id = self.request.POST.get("overwrite_revision_id") or self.request.POST.get("loaded_revision_id")
        if not revision_id or not revision_id.isdigit():
            return None
        return revisions.filter(pk=revision_id).first()

    def newer_revisions(self, revisions, base):
        newer = revisions.select_related("user").order_by("-created_at", "-pk")
        return newer.filter(created_at__gt=base.created_at) if base else newer[:1]

    def refusal_message(self, verbose_name, newer, compare_url, lost_lists):
        latest = newer[0]
        people = sorted({person(revision.user) for revision in newer})
        when = format_date(timezone.localtime(latest.created_at), "j F Y \\a\\t H:i")
        message = format_html(
            "Not saved: {} changed this {} on {}, after you opened it. "
            '<a href="{}">Review the differences</a>. The form now shows the latest version with your '
            "changes put back on top: check them, then save or publish again.",
            " and ".join(people),
            verbose_name,
            when,
            compare_url,
        )
        if lost_lists:
            message = format_html(
                "{} Changes you made to {} could not be carried over: make them again.",
                message,
                format_html_join(", ", "{}", ((name,) for name in lost_lists)),
            )
        return message

    def reapplied_form(self, form_class, form_kwargs, base_object):
        """An unbound form on the latest revision, its initial values overlaid with what the person changed.

        "Changed" is measured against the revision the person opened, so values they left alone
        take the latest revision's, and nobody else's change is reverted.
        """
        base_form = form_class(**{**form_kwargs, "instance": base_object})
        base_form.is_valid()
        changed = [name for name in base_form.changed_data if name in getattr(base_form, "cleaned_data", {})]
        lost_lists = [
            capfirst(str(getattr(formset.model._meta, "verbose_name_plural", name)))
            for name, formset in getattr(base_form, "formsets", {}).items()
            if formset.has_changed()
        ]
        latest_kwargs = {key: value for key, value in form_kwargs.items() if key not in ("data", "files")}
        form = form_class(**latest_kwargs)
        form.initial.update({name: base_form.cleaned_data[name] for name in changed})
        return form, lost_lists


class RefuseStaleSnippetEditsMixin(StaleFormMixin):
    """For Wagtail's generic (snippet) edit view."""

    def is_valid(self, form):
        if not self.expects_json_response and self.is_out_of_date:
            self.stale_form = True
            return False
        return super().is_valid(form)

    def form_invalid(self, form):
        if not getattr(self, "stale_form", False):
            return super().form_invalid(form)
        revisions = self.object.revisions
        base = self.base_revision(revisions)
        newer = list(self.newer_revisions(revisions, base))
        compare_url = reverse(
            self.revisions_compare_url_name,
            args=(quote(self.object.pk), base.pk if base else "earliest", "latest"),
        )
        base_object = base.as_object() if base else self.object
        self.form, lost_lists = self.reapplied_form(self.get_form_class(), self.get_form_kwargs(), base_object)
        messages.error(
            self.request, self.refusal_message(self.model._meta.verbose_name, newer, compare_url, lost_lists)
        )
        return self.render_to_response(self.get_context_data(form=self.form))

    @property
    def has_unsaved_changes(self):
        # The re-shown form holds the person's changes, not yet saved: warn before leaving it.
        return getattr(self, "stale_form", False) or super().has_unsaved_changes


class PageEditView(StaleFormMixin, WagtailPageEditView):
    """Wagtail's page edit view, refusing a stale Save or Publish as the register's form does."""

    def post(self, request, *args, **kwargs):
        if self.page.alias_of_id or self.expects_json_response or not self.is_out_of_date:
            return super().post(request, *args, **kwargs)
        revisions = self.real_page_record.revisions
        base = self.base_revision(revisions)
        newer = list(self.newer_revisions(revisions, base))
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare", args=(self.page.pk, base.pk if base else "earliest", "latest")
        )
        form_kwargs = {
            "data": request.POST,
            "files": request.FILES,
            "instance": self.page,
            "subscription": self.subscription,
            "parent_page": self.parent,
            "for_user": request.user,
        }
        base_object = base.as_object() if base else self.page
        self.form, lost_lists = self.reapplied_form(self.form_class, form_kwargs, base_object)
        self.has_unsaved_changes = True
        messages.error(request, self.refusal_message("page", newer, compare_url, lost_lists))
        return self.render_to_response(self.get_context_data())
