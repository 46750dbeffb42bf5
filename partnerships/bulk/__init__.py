"""Bulk actions on the register listing: reassign people, set review dates, export a selection.

Each change is checked entry by entry (the register's permission policy, as the edit
form applies it), written through ``partnerships.lifecycle.record_on_entry`` as a new
revision, and logged in the entry's history. Back-fill in bulk is the back-fill
route's own action (``partnerships.backfill.views.BackfillBulkAction``).
"""
