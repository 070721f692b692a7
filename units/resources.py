"""Spreadsheet columns of the LAO registry (django-import-export) and their widgets.

`LAORegistryResource` is used twice: by the portal's upload machinery (upload type
"units.registry", units/uploads/laos.py) and by the Django admin's import for
administrators. Its widgets raise ValueError with translated messages, which both show per cell.
A blank cell leaves the value unchanged.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from units.models import LAO, ChangeSource
from units.notes import system_note
from units.services import lao_update
from units.uploads.widgets import CodeWidget, TextWidget

# The fields an upload may change, in the template's column order after code and name.
REGISTRY_FIELDS = ["population", "households", "phone", "email", "website", "chief_executive"]
REGISTRY_DEMO_COLUMN = "ข้อมูลตัวอย่าง"
_WHOLE_NUMBER = re.compile(r"[0-9]+(?:\.0+)?")
_MAX_COUNT = 2_147_483_647


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
    # Which of the row's values are demo data (units.uploads.laos): shown, never read.
    demo = fields.Field(column_name=REGISTRY_DEMO_COLUMN, readonly=True)

    class Meta:
        model = LAO
        fields = ("dla_code", "name", *REGISTRY_FIELDS, "demo")
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
            note=system_note("admin-import"),
        )
