"""Spreadsheet columns of the LAO registry (django-import-export), and its upload type.

`LAORegistryResource` is used twice: by the portal's upload machinery (upload type
"units.registry", registered in UnitsConfig.ready()) and by the Django admin's import for
administrators. Its widgets raise ValueError with translated messages, which both show per cell.
A blank cell leaves the value unchanged.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from units import access
from units.models import LAO, ChangeSource
from units.services import lao_apply_upload, lao_update
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType

REGISTRY_UPLOAD = "units.registry"
# The fields an upload may change, in the template's column order after code and name.
REGISTRY_FIELDS = ["population", "households", "phone", "email", "website", "chief_executive"]
MAX_PREVIEW_CHANGES = 2000
_WHOLE_NUMBER = re.compile(r"[0-9]+(?:\.0+)?")
_MAX_COUNT = 2_147_483_647


class CodeWidget(widgets.CharWidget):
    """A DLA code: 7 digits, given as text or as a number; leading zeros Excel dropped are put
    back."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not text:
            return None
        if not text.isdigit() or len(text) > 7:
            raise ValueError(_("“%(value)s” is not an LAO code (7 digits).") % {"value": value})
        return text.zfill(7)


class CountWidget(widgets.IntegerWidget):
    """A whole number of people or households; thousands separators are accepted."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError(
                _("“%(value)s” is not a whole number (write a count such as 12,345).")
                % {"value": value}
            )
        number = int(text.split(".")[0])
        if number > _MAX_COUNT:
            raise ValueError(_("%(value)s is too large.") % {"value": value})
        return number


class TextWidget(widgets.CharWidget):
    """Plain text up to `max_length` characters, surrounding spaces removed."""

    def __init__(self, max_length: int, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip()
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValueError(
                _("The text is too long: at most %(limit)s characters.")
                % {"limit": self.max_length}
            )
        return text


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text is None:
            return None
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(
                _("“%(value)s” is not a valid e-mail address.") % {"value": text}
            ) from None
        return text


class WebsiteWidget(TextWidget):
    """A web address; "www.example.go.th" gets https:// in front."""

    validator = URLValidator(schemes=["http", "https"])

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text is None:
            return None
        if "://" not in text:
            text = f"https://{text}"
        try:
            self.validator(text)
        except ValidationError:
            raise ValueError(
                _("“%(value)s” is not a valid web address.") % {"value": value}
            ) from None
        return text


class LAORegistryResource(resources.ModelResource):
    """Registry updates by LAO code: population, households, contacts, website, chief executive."""

    dla_code = fields.Field(attribute="dla_code", column_name="รหัส อปท.", widget=CodeWidget())
    name = fields.Field(attribute="full_name_th", column_name="ชื่อ อปท.", readonly=True)
    population = fields.Field(attribute="population", column_name="ประชากร", widget=CountWidget())
    households = fields.Field(attribute="households", column_name="ครัวเรือน", widget=CountWidget())
    phone = fields.Field(attribute="phone", column_name="โทรศัพท์", widget=TextWidget(50))
    email = fields.Field(attribute="email", column_name="อีเมล", widget=EmailWidget(254))
    website = fields.Field(attribute="website", column_name="เว็บไซต์", widget=WebsiteWidget(200))
    chief_executive = fields.Field(
        attribute="chief_executive", column_name="ผู้บริหาร", widget=TextWidget(200)
    )

    # English names and help for the template's notes sheet, by column.
    column_notes = {
        "รหัส อปท.": ("DLA code", gettext_lazy("Required. 7 digits; keep it as text.")),
        "ชื่อ อปท.": ("LAO name", gettext_lazy("For reading only: ignored on upload.")),
        "ประชากร": ("Population", gettext_lazy("Whole number; 12,345 is accepted.")),
        "ครัวเรือน": ("Households", gettext_lazy("Whole number, not above the population.")),
        "โทรศัพท์": ("Phone", gettext_lazy("Text, up to 50 characters.")),
        "อีเมล": ("E-mail", gettext_lazy("An e-mail address.")),
        "เว็บไซต์": ("Website", gettext_lazy("A web address, such as www.example.go.th.")),
        "ผู้บริหาร": ("Chief executive", gettext_lazy("Name, up to 200 characters.")),
    }

    class Meta:
        model = LAO
        fields = ("dla_code", "name", *REGISTRY_FIELDS)
        import_id_fields = ("dla_code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    # --- the Django admin's import (the portal's uploads use units.uploads.engine) ---

    def get_queryset(self):
        return LAO.objects.exclude(dla_code=None)

    def init_instance(self, row=None):
        raise ValidationError({"dla_code": _("No LAO has this code.")})

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank cell leaves the value unchanged.
        if row.get(field.column_name) in (None, ""):
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        super().before_import(dataset, **kwargs)

    def do_instance_save(self, instance, is_create):
        # Through the service, so the admin's imports keep the change history too.
        lao_update(
            lao=instance,
            user=getattr(self, "_user", None),
            data={name: getattr(instance, name) for name in REGISTRY_FIELDS},
            source=ChangeSource.ADMIN,
            note="admin import",
        )


# --- the upload type "units.registry" -------------------------------------------------------


def registry_template_rows(*, user):
    """The uploader's LAOs with their current values; demo values are left blank, so that
    uploading the template back never passes generated data off as real."""
    laos = (
        access.laos_managed_by(user)
        .exclude(dla_code=None)
        .only("dla_code", "full_name_th", "demo_fields", *REGISTRY_FIELDS)
        .order_by("dla_code")
    )
    for lao in laos:
        row = [lao.dla_code, lao.full_name_th]
        for name in REGISTRY_FIELDS:
            value = getattr(lao, name)
            row.append("" if value is None or lao.is_demo(name) else value)
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
                    _("Households (%(households)s) cannot be more than the population "
                      "(%(population)s).")
                    % {"households": f"{households:,}", "population": f"{population:,}"},
                )
            )  # fmt: skip
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
    lao_apply_upload(items=items, user=user, note=f"upload #{job.pk}")
    return {"changed": len(items), "unchanged": len(diffs) - len(items)}


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
    commit_checks=True,
    lao_code_field="dla_code",
    unique_fields=("dla_code",),
)
