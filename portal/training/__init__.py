"""Awareness training for officers and councillors: knowledge checks, each person's progress, refreshers.

The records are models in ``portal.models`` (``TrainingCompletion``, ``TrainingAttempt``,
``KnowledgeCheckQuestion``); this package holds what is done with them.
"""
