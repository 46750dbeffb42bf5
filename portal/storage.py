from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    # Rewrites init.js's `import … from "../govuk/govuk-frontend.min.js"` to the hashed name.
    support_js_module_import_aggregation = True
