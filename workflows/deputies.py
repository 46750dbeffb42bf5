"""A Head of Service names a deputy who may endorse proposals in their place."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.roles import HEADS_OF_SERVICE

from .models import HeadOfServiceDeputy


class DeputyForm(forms.ModelForm):
    class Meta:
        model = HeadOfServiceDeputy
        fields = ["deputy"]

    def __init__(self, *args, head, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        field.required = False
        field.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk=head.pk)
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = get_user_display_name
        field.help_text = "Who may endorse proposals for you. Leave empty to endorse them yourself only."


def is_head_of_service(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=HEADS_OF_SERVICE).exists())


class DeputyView(WagtailAdminTemplateMixin, FormView):
    template_name = "workflows/admin/deputy.html"
    page_title = "Your deputy for endorsements"
    header_icon = "user"
    form_class = DeputyForm

    def dispatch(self, request, *args, **kwargs):
        if not is_head_of_service(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = HeadOfServiceDeputy.objects.filter(head=self.request.user).first()
        kwargs.update(head=self.request.user, instance=instance or HeadOfServiceDeputy(head=self.request.user))
        return kwargs

    def form_valid(self, form):
        if form.cleaned_data["deputy"] is None:
            HeadOfServiceDeputy.objects.filter(head=self.request.user).delete()
            messages.success(self.request, "You have no deputy: only you can endorse your service's proposals.")
        else:
            form.save()
            messages.success(self.request, f"{form.cleaned_data['deputy'].get_full_name()} can now endorse for you.")
        return redirect("workflows:deputy")
