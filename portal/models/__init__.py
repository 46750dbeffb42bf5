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

__all__ = [
    "ContentPage",
    "GuidancePage",
    "HomePage",
    "IntranetHomePage",
    "Question",
    "QuestionSet",
    "SectionPage",
    "ToolkitPage",
    "TrainingPage",
]
