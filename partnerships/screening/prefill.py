"""A proposal started from a screening: the proposal form opens with the tree's answers filled in."""

from portal.models import Question

from ..models import ScreeningAnswer
from .models import ScreeningRecord

PARAMETER = "screening"


def screening_to_carry(request):
    """The screening named in the address, if it is the asker's to carry into a proposal and it passed the tree."""
    key = request.GET.get(PARAMETER, "")
    if request.method != "GET" or not key.isdigit():
        return None
    record = ScreeningRecord.objects.filter(pk=int(key)).first()
    if record is None or not record.visible_to(request.user) or not record.is_partnership:
        return None
    return record


def prefill(instance, record):
    """Give an unsaved register entry the screening's name and its answers to the questions still asked."""
    instance.name = instance.name or record.name
    still_asked = set(
        Question.objects.filter(pk__in=[item["question_id"] for item in record.answers]).values_list("pk", flat=True)
    )
    instance.screening_answers = [
        ScreeningAnswer(question_id=item["question_id"], answer=item["answer"])
        for item in record.answers
        if item["question_id"] in still_asked
    ]
    return instance


class ScreeningPrefillMixin:
    """For the register entry's create view: ``?screening=<id>`` opens the form with that screening's answers."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        record = screening_to_carry(self.request)
        if record is None:
            return instance
        return prefill(instance or self.model(), record)
