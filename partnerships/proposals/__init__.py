"""Proposing a new partnership: what a proposal still lacks, its edit and review screens in the admin."""
