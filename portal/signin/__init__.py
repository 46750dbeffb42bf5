"""Signing in: throttled forms, the second factor for roles that change or decide, session lifetimes."""
