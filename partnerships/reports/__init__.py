"""Governance reports on the register for register managers and Management Board (issue 3 §6).

``queries`` computes the figures over any queryset of partnerships, ``charts``
draws them, ``views`` shows them in the Wagtail admin's Reports menu.
"""
