"""Step 3, when needed: say which register column each of the file's unfamiliar headings holds.

The choices are remembered for every later upload, and the file is checked again with them.
"""

from django.shortcuts import redirect
from django.views.generic import FormView

from . import jobs, mapping
from .forms import MappingForm
from .views import ImportPageMixin, OwnJobMixin, queue_check, url


class MappingView(OwnJobMixin, ImportPageMixin, FormView):
    template_name = "partnerships/import/columns.html"
    form_class = MappingForm
    page_title = "Match the file's columns"

    def get(self, request, *args, **kwargs):
        if self.state.get("status") != jobs.MAPPING:
            return redirect(url("progress", self.kwargs["token"]))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.state.get("status") != jobs.MAPPING:
            return redirect(url("progress", self.kwargs["token"]))
        return super().post(request, *args, **kwargs)

    @property
    def state(self):
        return self.job_state(self.kwargs["token"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "headings": [dict(heading) for heading in self.state["headings"]]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.state
        context.update(
            filename=state.get("filename"),
            known=[
                {**heading, "header": mapping.header(heading["field"]) if heading["field"] else ""}
                for heading in state["headings"]
                if heading["field"] is not None
            ],
            cancel_url=url("cancel", self.kwargs["token"]),
        )
        return context

    def form_valid(self, form):
        token = self.kwargs["token"].hex
        choices = form.cleaned_data["choices"]
        mapping.remember(form.headings, choices, self.request.user)
        jobs.set_state(token, mapping=choices, mapped=True, headings=None)
        queue_check(token)
        return redirect(url("progress", self.kwargs["token"]))
