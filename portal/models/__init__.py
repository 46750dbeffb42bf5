from .knowledge_check import KnowledgeCheckQuestion, TrainingAttempt
from .pages import (
    ContentPage,
    GuidancePage,
    HomePage,
    IntranetHomePage,
    SectionPage,
    ToolkitPage,
    TrainingPage,
)
from .questions import Question, QuestionSet
from .training import TrainingCompletion

__all__ = [
    "ContentPage",
    "GuidancePage",
    "HomePage",
    "IntranetHomePage",
    "KnowledgeCheckQuestion",
    "Question",
    "QuestionSet",
    "SectionPage",
    "ToolkitPage",
    "TrainingAttempt",
    "TrainingCompletion",
    "TrainingPage",
]
