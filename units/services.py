"""Writes of the units app: keyword-only, atomic, named `<entity>_<action>`."""

from django.db import transaction

from units import stamps
from units.models import LAO, ChangeSource, LAOChange, Role, User


@transaction.atomic
def user_register_citizen(*, username: str, email: str, password: str) -> User:
    """Create a citizen account, inactive until its e-mail address is confirmed."""
    user = User(username=username, email=email, role=Role.CITIZEN, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_activate(*, user: User) -> User:
    """Activate an account whose e-mail address has been confirmed."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


# --- LAO profile edits (units/views/profile.py, the admin) ---

# Fields whose changes lao_update records: every editable field but the bookkeeping ones.
LAO_UNRECORDED_FIELDS = {"id", "demo_fields", "updated_at"}


def _as_history_text(value) -> str:
    """A value as the history shows it: text, empty for a missing value."""
    if value is None:
        return ""
    return str(value)


@transaction.atomic
def lao_update(
    *, lao: LAO, user: User | None, data: dict, source: str = ChangeSource.FORM, note: str = ""
) -> LAOChange | None:
    """Apply `data` ({field: new value}) to the LAO and record the fields that really changed in
    one LAOChange ({"field": [old, new]}, values as text); those fields stop being demo data.

    Compares with the row as stored (locked for the update), not with `lao`, which a bound form
    may already have modified. Returns the LAOChange, or None when nothing changed (then nothing
    is written). `lao` gets the saved values.
    """
    recordable = {
        field.name
        for field in LAO._meta.concrete_fields
        if field.editable and field.name not in LAO_UNRECORDED_FIELDS
    }
    unknown = set(data) - recordable
    if unknown:
        raise ValueError(f"lao_update cannot change {sorted(unknown)}")
    current = LAO.objects.select_for_update().get(pk=lao.pk)
    changes = {}
    for name, new in data.items():
        field = LAO._meta.get_field(name)
        old = getattr(current, name)
        if field.is_relation:
            changed = (old.pk if old else None) != (new.pk if new else None)
        else:
            changed = _as_history_text(old) != _as_history_text(new) and old != new
        if changed:
            changes[name] = [_as_history_text(old), _as_history_text(new)]
            setattr(current, name, new)
    if not changes:
        return None
    current.demo_fields = [field for field in current.demo_fields if field not in changes]
    current.save(update_fields=[*changes, "demo_fields", "updated_at"])
    change = LAOChange.objects.create(
        lao=current, user=user, source=source, changes=changes, note=note
    )
    for name in [*changes, "demo_fields", "updated_at"]:
        setattr(lao, name, getattr(current, name))
    return change


# --- spreadsheet uploads of registry updates (units/resources.py, units/uploads) ---


@transaction.atomic
def lao_apply_upload(*, items: list[tuple[LAO, dict]], user: User | None, note: str) -> int:
    """Write many LAOs' uploaded values at once: `items` are (LAO, {field: (old, new)}).

    One UPDATE … FROM unnest(…) for all LAOs (Django's bulk_update is slow, ticket #31202), then
    one INSERT of the LAOChange rows (source "upload", values as text). The changed fields stop
    being demo data. The caller has validated the values and locked the rows. Returns the LAOs
    changed.
    """
    import json

    from django.db import connection
    from django.utils import timezone

    if not items:
        return 0
    names = sorted({name for _lao, changes in items for name in changes})
    ids, cleared = [], []
    columns: dict[str, list] = {name: [] for name in names}
    for lao, changes in items:
        ids.append(lao.pk)
        cleared.append(",".join(name for name in changes if lao.is_demo(name)))
        for name in names:
            columns[name].append(changes[name][1] if name in changes else getattr(lao, name))
    table = connection.ops.quote_name(LAO._meta.db_table)
    db_columns = [LAO._meta.get_field(name).column for name in names]
    casts = [LAO._meta.get_field(name).db_type(connection) for name in names]
    quoted = [connection.ops.quote_name(column) for column in db_columns]
    assignments = ", ".join(f"{column} = v.{column}" for column in quoted)
    arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
    sql = (
        f"UPDATE {table} AS lao SET {assignments}, "
        "demo_fields = ARRAY(SELECT f FROM unnest(lao.demo_fields) AS f "
        "WHERE NOT f = ANY(string_to_array(v.cleared, ','))), updated_at = %s "
        f"FROM unnest(%s::bigint[], %s::text[], {arrays}) AS v(id, cleared, {', '.join(quoted)}) "
        "WHERE lao.id = v.id"
    )
    with connection.cursor() as cursor:
        now = timezone.now()
        cursor.execute(sql, [now, ids, cleared, *(columns[name] for name in names)])
    # The history in one INSERT … SELECT FROM unnest(…) too (bulk_create spends most of its time
    # preparing 7,850 objects in Python).
    history = [
        json.dumps(
            {
                name: [_as_history_text(old), _as_history_text(new)]
                for name, (old, new) in changes.items()
            },
            ensure_ascii=False,
        )
        for _lao, changes in items
    ]
    change_table = connection.ops.quote_name(LAOChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {change_table} (lao_id, changed_at, user_id, source, changes, note) "
            "SELECT v.lao_id, %s, %s, %s, v.changes, %s "
            "FROM unnest(%s::bigint[], %s::jsonb[]) AS v(lao_id, changes)",
            [
                now,
                user.pk if user else None,
                ChangeSource.UPLOAD.value,
                note,
                ids,
                history,
            ],
        )
    stamps.bump(stamps.UNITS)
    return len(items)
