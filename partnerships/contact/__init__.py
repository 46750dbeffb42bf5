"""The public's way to reach the partnerships team: report a problem with an entry, give feedback."""
