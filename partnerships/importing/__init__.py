"""Bringing the council's register spreadsheet in.

``columns`` declares the spreadsheet, ``mapping`` matches a council's own headings to
it, ``reader`` and ``parsing`` read it, ``service`` (with ``plan`` and ``comparing``)
checks and applies it all or nothing, ``writing`` produces the template and the
register in the same format, ``jobs`` runs an admin upload as a Celery task and
``history`` keeps each one. The admin pages: ``views``, ``mapping_views``,
``history_views``, under ``urls`` and ``viewset``.
"""
