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
    "Question",
    "QuestionSet",
    "SectionPage",
    "ToolkitPage",
    "TrainingCompletion",
    "TrainingPage",
]
