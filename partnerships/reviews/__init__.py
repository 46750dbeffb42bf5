"""Progress reports and annual reviews: the intranet forms and pages, the admin viewsets, and what submitting one does to the entry."""
