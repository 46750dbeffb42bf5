"""The way through the decision tree: which question comes next, and where an answer leads.

The questions come from the portal's decision tree question set, in order. The tree
stops at the first answer that means the arrangement is not a partnership (the first
section, seed 002's "what is not partnership") or that the council should not join
it (a later section). An answer given earlier and then left off the way by a changed
answer is kept in the session but never counted.
"""

from dataclasses import dataclass

from portal.models import QuestionSet

from .models import Outcome

YES_NO = [("yes", "Yes"), ("no", "No")]


@dataclass
class Tree:
    title: str
    introduction: str
    questions: list

    @classmethod
    def load(cls):
        question_set = QuestionSet.objects.filter(kind=QuestionSet.Kind.DECISION_TREE).first()
        if question_set is None:
            return cls("Pre-partnership decision tree", "", [])
        return cls(question_set.title, question_set.introduction, list(question_set.questions.all()))

    def find(self, code):
        return next((q for q in self.questions if q.code.lower() == (code or "").lower()), None)

    def path(self, answers):
        """The questions answered on the way, with their answers, up to the first unanswered or stopping one."""
        taken = []
        for question in self.questions:
            answer = answers.get(question.code)
            if answer not in ("yes", "no"):
                break
            taken.append((question, answer))
            if stops(question, answer):
                break
        return taken

    def next_question(self, answers):
        """The question to ask next, or None when the way is complete (a stop, or every question answered)."""
        taken = self.path(answers)
        if taken and stops(*taken[-1]):
            return None
        return self.questions[len(taken)] if len(taken) < len(self.questions) else None

    def reachable(self, question, answers):
        """Whether ``question`` is on the way so far: answered on it, or the next to ask."""
        return question in [q for q, _ in self.path(answers)] or question == self.next_question(answers)

    def previous(self, question):
        index = self.questions.index(question)
        return self.questions[index - 1] if index else None

    def stop(self, answers):
        taken = self.path(answers)
        return taken[-1][0] if taken and stops(*taken[-1]) else None

    def outcome(self, answers):
        stop = self.stop(answers)
        if stop is None:
            return Outcome.PARTNERSHIP
        first_section = self.questions[0].section
        return Outcome.NOT_A_PARTNERSHIP if stop.section == first_section else Outcome.DO_NOT_JOIN


def stops(question, answer):
    return bool(question.stops_when) and answer == question.stops_when


def instead(question):
    """The route an arrangement stopped by ``question`` should take instead."""
    return question.stop_explanation or "This arrangement is not a partnership."
