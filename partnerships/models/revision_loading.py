"""Reading a revision without one query per child row.

modelcluster's ``from_serializable_data`` checks that every foreign key in a revision
still points at a row, one ``get()`` per key: an entry's revision with 40 answers,
partners and risks cost ~80 queries, and the approval workflow reads the latest
revision several times per decision. ``BatchedRevisionLoading`` does the same checks
with one query per referenced model, then lets modelcluster build the object
without checking again. The outcome is modelcluster's: a dangling key is kept
(DO_NOTHING), nulled (SET_NULL, or CASCADE on the entry itself), or drops the
child row (CASCADE on a child).
"""

import contextlib
import contextvars

from django.db import models
from modelcluster.models import get_all_child_relations

# Rows already looked up for a batch of revisions: {(model, field_name): (values asked, values found)}.
_checked = contextvars.ContextVar("checked_rows", default=None)


def _foreign_keys(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.remote_field and isinstance(field.remote_field, models.ManyToOneRel)
    ]


def _target(field, value):
    remote = field.remote_field
    return remote.model, remote.field_name, remote.model._meta.get_field(remote.field_name).to_python(value)


def _existing(wanted):
    """{(model, field_name): {values}} -> the same with only the values that have rows."""
    return {
        (model, name): set(model._default_manager.filter(**{f"{name}__in": values}).values_list(name, flat=True))
        for (model, name), values in wanted.items()
    }


def _wanted(rows, into=None):
    """{(model, field_name): {values}} that the foreign keys in ``rows`` point at."""
    wanted = {} if into is None else into
    for model, row, _ in rows:
        for field in _foreign_keys(model):
            if row.get(field.name) is not None:
                target, name, clean = _target(field, row[field.name])
                wanted.setdefault((target, name), set()).add(clean)
    return wanted


def _existing_checked_once(wanted):
    """``_existing``, asking the database only for values no batch has asked about yet."""
    checked = _checked.get()
    if checked is None:
        return _existing(wanted)
    unasked = {key: values - checked.get(key, (set(), set()))[0] for key, values in wanted.items()}
    found = _existing({key: values for key, values in unasked.items() if values})
    existing = {}
    for key, values in wanted.items():
        asked, known = checked.setdefault(key, (set(), set()))
        asked |= unasked[key]
        known |= found.get(key, set())
        existing[key] = known & values
    return existing


@contextlib.contextmanager
def checked_together(cls, contents):
    """Load many revisions of ``cls`` with one query per referenced model for them all."""
    wanted = {}
    for data in contents:
        _wanted(_rows(cls, data), into=wanted)
    existing = _existing(wanted)
    token = _checked.set({key: (values, existing[key]) for key, values in wanted.items()})
    try:
        yield
    finally:
        _checked.reset(token)


def _rows(cls, data):
    """(model, row data, is a child) for the entry and each child row in ``data``."""
    yield cls, data, False
    for relation in get_all_child_relations(cls):
        for child in data.get(relation.get_accessor_name(), None) or []:
            yield relation.related_model, child, True


def _resolve(model, row, is_child, existing):
    """The row with modelcluster's treatment of dangling keys; None to drop it."""
    row = dict(row)
    for field in _foreign_keys(model):
        value = row.get(field.name)
        if value is None:
            continue
        target, name, clean = _target(field, value)
        if clean in existing[(target, name)]:
            continue
        on_delete = field.remote_field.on_delete
        if on_delete == models.DO_NOTHING:
            continue
        if on_delete == models.CASCADE and is_child:
            return None
        if on_delete in (models.CASCADE, models.SET_NULL):
            row[field.name] = None
            continue
        raise Exception("can't currently handle on_delete types other than CASCADE, SET_NULL and DO_NOTHING")
    return row


class BatchedRevisionLoading:
    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        nested = any(get_all_child_relations(r.related_model) for r in get_all_child_relations(cls))
        if not check_fks or strict_fks or nested:
            return super().from_serializable_data(data, check_fks=check_fks, strict_fks=strict_fks)
        existing = _existing_checked_once(_wanted(_rows(cls, data)))
        checked = _resolve(cls, data, False, existing)
        for relation in get_all_child_relations(cls):
            name = relation.get_accessor_name()
            if checked.get(name) is not None:
                children = (_resolve(relation.related_model, row, True, existing) for row in checked[name])
                checked[name] = [row for row in children if row is not None]
        return super().from_serializable_data(checked, check_fks=False, strict_fks=strict_fks)
