"""Governance reports on the register for register managers and Management Board.

``queries`` computes the figures over any queryset of partnerships, ``charts``
draws them, ``views`` shows them in the Wagtail admin's Reports menu.
"""
