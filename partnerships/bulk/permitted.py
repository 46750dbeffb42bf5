"""Bulk actions offered only to the people allowed to use them.

Wagtail's listing footer shows every registered bulk action to everyone who sees the
listing. Each of the register's actions answers ``allowed(user)`` once: the listing's
footer (``register_admin_tags.permitted_bulk_action_choices``) shows its button only
to those users, and its URL answers anyone else with a 403, however it was reached.
"""

from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from partnerships.admin_views import forbidden


class PermittedBulkAction:
    @classmethod
    def allowed(cls, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def permitted_bulk_actions(app_label, model_name, user):
    """The model's bulk actions this user may use, in their order on the listing."""
    actions = bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
    shown = [a for a in actions if not issubclass(a, PermittedBulkAction) or a.allowed(user)]
    return sorted(shown, key=lambda action: action.action_priority)
