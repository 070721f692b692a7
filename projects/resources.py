"""Spreadsheet columns of project progress (django-import-export): the Resource of the upload
type "projects.progress" (projects/uploads.py) and its widgets.

A row names a project by its LAO's DLA code and its project code. Every other cell is optional:
a blank cell changes nothing, so a row may carry only a stage, only the progress, only a
disbursement, or several.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from projects import rules
from projects.models import Stage
from units.uploads.widgets import (
    AmountWidget,
    CodeWidget,
    LabelChoiceWidget,
    PastDateWidget,
    TextWidget,
)

COLUMN_CODE = "รหัส อปท."
COLUMN_PROJECT = "รหัสโครงการ"
COLUMN_NAME = "ชื่อโครงการ"
COLUMN_STAGE = "ขั้นตอน"
COLUMN_PROGRESS = "ความก้าวหน้า (%)"
COLUMN_DATE = "วันที่เบิกจ่าย"
COLUMN_AMOUNT = "จำนวนเงินเบิกจ่าย"
COLUMN_REFERENCE = "เลขที่อ้างอิง"


class StageWidget(LabelChoiceWidget):
    """A stage by its key ("contracted") or its label in Thai or English ("ลงนามสัญญาแล้ว")."""

    choices = Stage

    def unknown(self, value, labels: str) -> str:
        return _("“%(value)s” is not a stage. Write one of: %(stages)s.") % {
            "value": value,
            "stages": labels,
        }

    def render(self, value, obj=None, **kwargs):
        return str(Stage(value).label) if value in Stage.values else ""


class PercentWidget(widgets.IntegerWidget):
    """Physical progress, a whole number from 0 to 100 ("45", 45.0 and "45%" are accepted)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip().rstrip("%").strip()
        if not text:
            return None
        if re.fullmatch(r"[0-9]+(?:\.0+)?", text) is None or int(text.split(".")[0]) > 100:
            raise ValueError(
                _("“%(value)s” is not a progress: write a whole number from 0 to 100.")
                % {"value": value}
            )
        return int(text.split(".")[0])


class DisbursementDateWidget(PastDateWidget):
    """A date (units.uploads.widgets.DateWidget) not in the future: money is recorded once it
    is paid."""

    future_message = gettext_lazy(
        "%(value)s is in the future: record a disbursement once it is paid."
    )


class DisbursementAmountWidget(AmountWidget):
    """Baht paid out: more than zero (projects.rules), at most two decimals; "1,250,000.50" is
    accepted."""

    def clean(self, value, row=None, **kwargs):
        amount = super().clean(value, row=row, **kwargs)
        if amount is not None and (violation := rules.amount_violation(amount)):
            raise ValueError(violation.message)
        return amount


class ProjectProgressResource(resources.Resource):
    """One row per project update: the project (LAO code, project code) and any of stage,
    progress and a disbursement (date, amount, reference). The name is shown, never read."""

    dla_code = fields.Field(attribute="dla_code", column_name=COLUMN_CODE, widget=CodeWidget())
    code = fields.Field(attribute="code", column_name=COLUMN_PROJECT, widget=TextWidget(32))
    name = fields.Field(
        attribute="name", column_name=COLUMN_NAME, widget=TextWidget(500), readonly=True
    )
    stage = fields.Field(attribute="stage", column_name=COLUMN_STAGE, widget=StageWidget())
    progress_percent = fields.Field(
        attribute="progress_percent", column_name=COLUMN_PROGRESS, widget=PercentWidget()
    )
    date = fields.Field(attribute="date", column_name=COLUMN_DATE, widget=DisbursementDateWidget())
    amount = fields.Field(
        attribute="amount", column_name=COLUMN_AMOUNT, widget=DisbursementAmountWidget()
    )
    reference = fields.Field(
        attribute="reference", column_name=COLUMN_REFERENCE, widget=TextWidget(64)
    )

    class Meta:
        fields = (
            "dla_code",
            "code",
            "name",
            "stage",
            "progress_percent",
            "date",
            "amount",
            "reference",
        )
