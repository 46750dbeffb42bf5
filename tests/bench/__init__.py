"""``make bench`` (``python -m tests.bench``): the register under load on this machine.

See ``__main__`` for what runs, ``registry`` for adding a benchmark from another module.
"""
