"""Bringing the council's register spreadsheet in.

``columns`` declares the spreadsheet, ``reader`` and ``parsing`` read it, ``service``
checks and applies it all or nothing, ``writing`` produces the template and the
register in the same format, and ``jobs`` runs an admin upload as a Celery task.
"""
