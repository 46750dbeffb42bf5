"""Tags for the register's admin screens."""

from django import template
from django.urls import reverse
from wagtail.admin.widgets import Button, ButtonWithDropdown
from wagtail.admin.widgets.button import ListingButton

from partnerships.bulk.permitted import permitted_bulk_actions

register = template.Library()

# Wagtail's footer shows this many buttons and folds the rest under "More".
SHOWN_BUTTONS = 4


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def permitted_bulk_action_choices(context, app_label, model_name):
    """Wagtail's ``bulk_action_choices``, less the actions the signed-in user may not use."""
    actions = permitted_bulk_actions(app_label, model_name, context["request"].user)

    def attributes(action):
        return {"aria-label": action.aria_label, "data-bulk-action-button": ""}

    def url(action):
        # No "next": the listing's script adds it, as the footer is not re-rendered on search.
        return reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])

    buttons = [
        ListingButton(
            action.display_name,
            url(action),
            attrs=attributes(action),
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )
        for action in actions[:SHOWN_BUTTONS]
    ]
    if actions[SHOWN_BUTTONS:]:
        more = [
            Button(label=a.display_name, url=url(a), attrs=attributes(a), priority=a.action_priority)
            for a in actions[SHOWN_BUTTONS:]
        ]
        buttons.append(
            ButtonWithDropdown(
                label="More",
                attrs={"title": "More bulk actions"},
                classname="button button-secondary button-small",
                buttons=more,
            )
        )
    return {"buttons": buttons}
