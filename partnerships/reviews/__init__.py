"""Progress reports and annual reviews.

The intranet forms and pages, the admin viewsets, and what submitting one does to the entry.
"""
