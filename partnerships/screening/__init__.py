"""The pre-partnership decision tree as question pages, and the screening records it leaves.

Anyone signed in to the intranet can try the tree before starting a proposal; the
result is kept so a lead officer can print it and carry its answers into the proposal.
"""
