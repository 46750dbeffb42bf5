"""Fixtures for the portal's tests."""

from tests.page_cache_support import cdn, committed, page_cache  # noqa: F401 (fixtures)
