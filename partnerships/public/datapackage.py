"""``datapackage.json``: the open-data files described to the Frictionless Data Package standard.

Served beside ``register.csv`` and ``register.json`` so that a program (or a person
with a data tool) can read the files without guessing: each CSV column with its type
and description, the licence, the publisher and when the register last changed. The
columns come from ``PUBLIC_FIELDS``, as the files themselves do, so a field declared
public is described here the moment it is published.
"""

from django.db import models

from ..models import Partnership
from .opendata import LICENCE, LICENCE_URL

# Table Schema types for the model columns a public field reads. Dates and times are
# published as the council's calendar date (``fields.local_date``), so both are dates.
SCHEMA_TYPES = (
    (models.DateTimeField, "date"),
    (models.DateField, "date"),
    (models.DecimalField, "number"),
    (models.FloatField, "number"),
    (models.IntegerField, "integer"),
    (models.BooleanField, "boolean"),
)
# In the JSON file a list is an array (of names, or of objects such as partners with
# ``name`` and ``sector``) and the contact an object with ``name`` and ``email``.
JSON_KINDS = {"list": "array", "contact": "object"}
LICENCE_ID = "OGL-UK-3.0"
PACKAGE_NAME = "partnership-register"


def _column_type(column):
    """The Table Schema type of one column a getter reads (``relation__name`` across a foreign key)."""
    model = Partnership
    *relations, name = column.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.get_field(name)
    if field.choices:
        return "string"  # published as the choice's label
    for model_field, schema_type in SCHEMA_TYPES:
        if isinstance(field, model_field):
            return schema_type
    return "string"


def schema_type(field):
    """The type of a public field's CSV column: as its getter declares (``get.schema_type``), else from its columns.

    A field read from several columns of one type has that type; lists (partners,
    priorities) and anything mixed are text, as the CSV writes them.
    """
    declared = getattr(field.get, "schema_type", None)
    if declared:
        return declared
    types = {_column_type(column) for column in field.columns}
    return types.pop() if len(types) == 1 else "string"


def json_schema_type(field):
    """The type of a public field in the JSON file: lists stay arrays and the contact an object; else as the CSV."""
    return JSON_KINDS.get(field.kind) or schema_type(field)


def table_schema(fields, for_json=False):
    """The Table Schema of the CSV (fields named by CSV heading) or of the JSON's entries (by ``json_name``)."""
    schema = {
        "fields": [
            {
                "name": field.name if for_json else field.label,
                "title": field.label,
                "description": field.description,
                "type": json_schema_type(field) if for_json else schema_type(field),
                **({} if for_json else {"json_name": field.name}),
            }
            for field in fields
        ],
        "missingValues": [""],
    }
    keys = [field.name if for_json else field.label for field in fields if field.name == "reference"]
    if keys:
        schema["primaryKey"] = keys
    return schema


def descriptor(fields, *, publisher, last_modified, homepage, csv_path="register.csv", json_path="register.json"):
    """The data package: the two files, their schema, licence, publisher and last change (a datetime or None)."""
    modified = last_modified.isoformat() if last_modified else None
    package = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": f"{publisher} partnership register",
        "description": (
            "The partnerships the council is in now (active, under review or exiting), "
            "as approved and published on its public register."
        ),
        "homepage": homepage,
        "licenses": [{"name": LICENCE_ID, "title": LICENCE, "path": LICENCE_URL}],
        "contributors": [{"title": publisher, "role": "publisher"}],
        "publisher": publisher,
        "keywords": ["partnerships", "register", "local government"],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "register-csv",
                "title": "The register as CSV",
                "path": csv_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "licenses": [{"name": LICENCE_ID, "title": LICENCE, "path": LICENCE_URL}],
                "schema": table_schema(fields),
            },
            {
                "profile": "tabular-data-resource",
                "name": "register-json",
                "title": "The register as JSON",
                "description": (
                    "The same entries as one JSON object: the licence, publisher, last update, "
                    "a description of each field and the entries under `partnerships`, keyed by each "
                    "column's `json_name`; partners are objects with `name` and `sector`. Money "
                    "(pounds) and hours are numbers, dates YYYY-MM-DD text, an empty date null."
                ),
                "path": json_path,
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                # The rows are the objects in the document's `partnerships` array.
                "dialect": {"json": {"keyed": True, "property": "partnerships"}},
                "licenses": [{"name": LICENCE_ID, "title": LICENCE, "path": LICENCE_URL}],
                "schema": table_schema(fields, for_json=True),
            },
        ],
    }
    if modified:
        package["created"] = modified
        package["last_modified"] = modified
    return package
