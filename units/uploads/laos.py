"""The upload type "units.registry": provincial staff and administrators update the registry
values of many LAOs (population, households, contacts, website, chief executive) in one workbook
(columns: units/resources.py, LAORegistryResource). Registered in UnitsConfig.ready().
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units import access
from units.models import LAO
from units.notes import system_note
from units.resources import REGISTRY_DEMO_COLUMN, REGISTRY_FIELDS, LAORegistryResource
from units.services import lao_apply_upload
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType

REGISTRY_UPLOAD = "units.registry"
MAX_PREVIEW_CHANGES = 2000


def registry_template_rows(*, user):
    """The uploader's LAOs with their current values, so that staff can check them; the last
    column names the values that are demo data ("ตัวอย่าง: ประชากร, ครัวเรือน"). Uploading the
    template back changes nothing: a value uploaded unchanged is not a change, so a demo value
    stays marked as demo until someone types the real one."""
    laos = (
        access.laos_managed_by(user)
        .exclude(dla_code=None)
        .only("dla_code", "full_name_th", "demo_fields", *REGISTRY_FIELDS)
        .order_by("dla_code")
    )
    columns = {
        field.attribute: field.column_name for field in LAORegistryResource().get_import_fields()
    }
    for lao in laos:
        row = [lao.dla_code, lao.full_name_th]
        row += [
            "" if getattr(lao, name) is None else getattr(lao, name) for name in REGISTRY_FIELDS
        ]
        demo = [columns[name] for name in REGISTRY_FIELDS if lao.is_demo(name)]
        row.append(_("Demo: %(columns)s") % {"columns": ", ".join(demo)} if demo else "")
        yield row


def _as_text(value) -> str:
    return "" if value is None else str(value)


def registry_diffs(*, rows, lock: bool = False):
    """For each clean row, the LAO and the fields that would change: ([(row, lao, {field: (old,
    new)})], [RowError]). Checks households ≤ population on the values after the upload.
    One query (locking the LAOs' rows when `lock`)."""
    # Only the columns compared and shown: the registry has ~7,850 LAOs per national upload.
    laos = LAO.objects.filter(pk__in=[row.lao_id for row in rows]).only(
        "dla_code", "full_name_th", "demo_fields", *REGISTRY_FIELDS
    )
    if lock:
        laos = laos.select_for_update(of=("self",))
    by_id = {lao.pk: lao for lao in laos}
    resource_columns = {
        field.attribute: field.column_name for field in LAORegistryResource().get_import_fields()
    }
    diffs, errors = [], []
    for row in rows:
        lao = by_id[row.lao_id]
        changes = {
            name: (getattr(lao, name), row.values[name])
            for name in REGISTRY_FIELDS
            if name in row.values and row.values[name] != getattr(lao, name)
        }
        population = row.values.get("population", lao.population)
        households = row.values.get("households", lao.households)
        if population is not None and households is not None and households > population:
            errors.append(
                RowError(
                    row.number,
                    resource_columns["households"],
                    _(
                        "Households (%(households)s) cannot be more than the population "
                        "(%(population)s)."
                    )
                    % {"households": f"{households:,}", "population": f"{population:,}"},
                )
            )
            continue
        diffs.append((row, lao, changes))
    return diffs, errors


def registry_check(*, rows, user) -> CheckResult:
    """The dry run's preview: per LAO, the fields that would change, old → new."""
    diffs, errors = registry_diffs(rows=rows)
    columns = {
        field.attribute: field.column_name for field in LAORegistryResource().get_import_fields()
    }
    changed = [(row, lao, changes) for row, lao, changes in diffs if changes]
    field_counts: dict[str, int] = {}
    for _row, _lao, changes in changed:
        for name in changes:
            field_counts[columns[name]] = field_counts.get(columns[name], 0) + 1
    summary = {
        "changed": len(changed),
        "unchanged": len(diffs) - len(changed),
        "field_counts": field_counts,
        "changes": [
            {
                "row": row.number,
                "code": lao.dla_code,
                "name": lao.full_name_th,
                "fields": [
                    [columns[name], _as_text(old), _as_text(new), lao.is_demo(name)]
                    for name, (old, new) in changes.items()
                ],
            }
            for row, lao, changes in changed[:MAX_PREVIEW_CHANGES]
        ],
    }
    return CheckResult(errors=errors, summary=summary)


def registry_commit(*, rows, user, job) -> dict:
    """Write the changes (inside the engine's transaction), with one LAOChange per LAO."""
    diffs, errors = registry_diffs(rows=rows, lock=True)
    if errors:
        raise InvalidUpload(errors)
    items = [(lao, changes) for _row, lao, changes in diffs if changes]
    lao_apply_upload(items=items, user=user, note=system_note("upload", job.pk))
    return {"changed": len(items), "unchanged": len(diffs) - len(items)}


def registry_template_notes(*, request) -> list[str]:
    """Lines under the column notes of the registry template's notes sheet."""
    return [
        _("A blank cell leaves the current value unchanged."),
        _(
            "The cells hold the current values. A demo value uploaded unchanged stays marked as "
            "demo data: type the real value to replace it."
        ),
    ]


registry_upload_type = UploadType(
    key=REGISTRY_UPLOAD,
    title=gettext_lazy("LAO registry updates (population, households, contacts)"),
    description=gettext_lazy(
        "One row per LAO of your province: population, households, phone, e-mail, website and "
        "chief executive. A blank cell leaves the value unchanged."
    ),
    committed_note=gettext_lazy("The LAOs' history records each change."),
    resource_class=LAORegistryResource,
    template_rows=registry_template_rows,
    check=registry_check,
    commit=registry_commit,
    lao_code_field="dla_code",
    unique_fields=("dla_code",),
    # English names and help for the template's notes sheet, by column.
    column_notes={
        "รหัส อปท.": ("DLA code", gettext_lazy("Required. 7 digits; keep it as text.")),
        "ชื่อ อปท.": ("LAO name", gettext_lazy("For reading only: ignored on upload.")),
        "ประชากร": ("Population", gettext_lazy("Whole number; 12,345 is accepted.")),
        "ครัวเรือน": ("Households", gettext_lazy("Whole number, not above the population.")),
        "โทรศัพท์": ("Phone", gettext_lazy("Text, up to 50 characters.")),
        "อีเมล": ("E-mail", gettext_lazy("An e-mail address.")),
        "เว็บไซต์": ("Website", gettext_lazy("A web address, such as www.example.go.th.")),
        "ผู้บริหาร": ("Chief executive", gettext_lazy("Name, up to 200 characters.")),
        REGISTRY_DEMO_COLUMN: (
            "Demo data",
            gettext_lazy(
                "For reading only: the columns of the row whose current value is demo data. "
                "Check them and type the real values."
            ),
        ),
    },
    template_notes=registry_template_notes,
)
