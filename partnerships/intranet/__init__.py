"""The register for signed-in staff on the intranet: every entry in force, internal fields included."""
