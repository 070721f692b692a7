"""The upload type "benchmarks.values": DLA and provincial staff upload the values of imported
indicators (LPA scores per area, the ITA score, and any imported indicator an administrator
defined) for many LAOs in one workbook. Registered in BenchmarksConfig.ready().

One row is one value: LAO, indicator code, fiscal year, value, and optionally the date of the
data and whether it is final. A row with a blank value changes nothing, so the template (every
LAO of the uploader's scope × every shown imported indicator, with the values already there)
can be filled in part. A value uploaded unchanged is not a change: a demo value stays marked as
demo until someone types the real one (as the registry upload does).

The commit writes all the changed values in one statement (imported.imported_values_write) and,
once committed, enqueues one background recompute of the uploaded years
(`recompute_after_upload` → benchmarks.tasks.benchmarks_recompute_task): ranks are national, so
a new value moves other LAOs' ranks too, and one recompute of the years beats one task per LAO.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from benchmarks import tasks
from benchmarks.imported import ImportedValue, imported_values_write
from benchmarks.models import Indicator, IndicatorValue, Reason, Source, Unit, ValueStatus
from benchmarks.services import STAMP
from units import access, stamps
from units.models import LAO
from units.thai import current_fiscal_year
from units.uploads.engine import InvalidUpload
from units.uploads.registry import CheckResult, RowError, UploadType
from units.uploads.widgets import (
    CodeWidget,
    FiscalYearWidget,
    LabelChoiceWidget,
    PastDateWidget,
    TextWidget,
    whole_number_text,
)

IMPORTED_VALUES_UPLOAD = "benchmarks.values"
MAX_PREVIEW_CHANGES = 2000
# Fiscal years an upload may fill: this year and the ten before it (history of LPA and ITA
# results), never a year that has not begun.
YEARS_BACK = 10
# Units whose values are shares or scores out of 100.
HUNDRED_UNITS = {Unit.PERCENT, Unit.SCORE}

COLUMN_CODE = "รหัส อปท."
COLUMN_NAME = "ชื่อ อปท."
COLUMN_INDICATOR = "รหัสตัวชี้วัด"
COLUMN_INDICATOR_NAME = "ชื่อตัวชี้วัด"
COLUMN_YEAR = "ปีงบประมาณ"
COLUMN_VALUE = "ค่า"
COLUMN_AS_OF = "ข้อมูล ณ วันที่"
COLUMN_STATUS = "สถานะ"
COLUMN_DEMO = "ข้อมูลตัวอย่าง"


def uploadable_fiscal_years() -> range:
    current = current_fiscal_year()
    return range(current - YEARS_BACK, current + 1)


# --- cells -------------------------------------------------------------------------------------


class IndicatorCodeWidget(widgets.CharWidget):
    """An indicator's code (`ita`, `lpa-finance`), in any case; whether it may be uploaded is
    checked against the Indicator table with the other cells of the row."""

    def clean(self, value, row=None, **kwargs):
        text = whole_number_text(value)
        if text is None:
            return None
        return text.lower()


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+|-?[0-9.]+[eE][-+]?[0-9]+")
PLACES = Decimal("0.0001")
# Float noise of spreadsheet arithmetic is rounded away; a real fifth decimal is an error.
FLOAT_NOISE = Decimal("0.0000001")
MAX_VALUE = Decimal("99999999999999")  # the column holds 14 digits before the point


class ValueWidget(widgets.DecimalWidget):
    """A number with at most four decimals: 87.5, "87.50", "1,234.5", "92 %" are accepted. Its
    range depends on the indicator (checked with the row)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        text = str(value).strip()
        for mark in (",", " ", "\u00a0", "%"):
            text = text.replace(mark, "")
        if not text:
            return None
        invalid = ValueError(
            _("“%(value)s” is not a number: write it like 87.5.") % {"value": value}
        )
        if not _NUMBER.fullmatch(text):
            raise invalid
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise invalid from None
        if not number.is_finite():
            raise invalid
        rounded = number.quantize(PLACES) if abs(number) <= MAX_VALUE else number
        if abs(number - rounded) > FLOAT_NOISE:
            raise ValueError(_("“%(value)s” has more than four decimals.") % {"value": value})
        if abs(rounded) > MAX_VALUE:
            raise ValueError(_("%(value)s is too large.") % {"value": value})
        return rounded


class AsOfWidget(PastDateWidget):
    """The date of the data (units.uploads.widgets.DateWidget), not after today."""

    future_message = gettext_lazy(
        "%(value)s is in the future: the data cannot be dated after today."
    )


class StatusWidget(LabelChoiceWidget):
    """Final or provisional, by key or by its label in Thai or English (เป็นที่สุด, เบื้องต้น)."""

    choices = ValueStatus

    def unknown(self, value, labels: str) -> str:
        return _("“%(value)s” is not a status. Write one of: %(statuses)s.") % {
            "value": value,
            "statuses": labels,
        }


class ImportedValueResource(resources.Resource):
    """One row per value: LAO, indicator, fiscal year, value, date of the data, status. The
    names and the demo mark are shown, never read."""

    dla_code = fields.Field(attribute="dla_code", column_name=COLUMN_CODE, widget=CodeWidget())
    name = fields.Field(
        attribute="name", column_name=COLUMN_NAME, widget=TextWidget(500), readonly=True
    )
    indicator = fields.Field(
        attribute="indicator", column_name=COLUMN_INDICATOR, widget=IndicatorCodeWidget()
    )
    indicator_name = fields.Field(
        attribute="indicator_name",
        column_name=COLUMN_INDICATOR_NAME,
        widget=TextWidget(500),
        readonly=True,
    )
    fiscal_year = fields.Field(
        attribute="fiscal_year",
        column_name=COLUMN_YEAR,
        widget=FiscalYearWidget(uploadable_fiscal_years),
    )
    value = fields.Field(attribute="value", column_name=COLUMN_VALUE, widget=ValueWidget())
    as_of = fields.Field(attribute="as_of", column_name=COLUMN_AS_OF, widget=AsOfWidget())
    status = fields.Field(attribute="status", column_name=COLUMN_STATUS, widget=StatusWidget())
    demo = fields.Field(
        attribute="demo", column_name=COLUMN_DEMO, widget=TextWidget(100), readonly=True
    )

    class Meta:
        fields = (
            "dla_code",
            "name",
            "indicator",
            "indicator_name",
            "fiscal_year",
            "value",
            "as_of",
            "status",
            "demo",
        )


# --- planning the changes (shared by the check and the commit) ---------------------------------


@dataclass(slots=True)
class PlannedValue:
    """One row's value and the value it replaces (None: a new value)."""

    number: int
    lao_id: int
    lao_code: str
    lao_name: str
    indicator: Indicator
    fiscal_year: int
    value: Decimal
    as_of: object  # datetime.date, or None: the day of the commit
    status: str
    old: IndicatorValue | None = None

    @property
    def changed(self) -> bool:
        old = self.old
        if old is None:
            return True
        return (
            old.value != self.value
            or old.reason != ""
            or old.status != self.status
            or old.source != Source.IMPORTED
            or (self.as_of is not None and old.as_of != self.as_of)
        )


REQUIRED = [("indicator", COLUMN_INDICATOR), ("fiscal_year", COLUMN_YEAR)]


def _indicator_problem(indicator: Indicator | None, code: str) -> str | None:
    if indicator is None:
        return _(
            "No indicator has the code “%(code)s”: the template's notes list the codes you "
            "can upload."
        ) % {"code": code}
    if indicator.source != Source.IMPORTED:
        return _(
            "“%(code)s” is computed by the portal from its own data: it cannot be uploaded."
        ) % {"code": code}
    if not indicator.is_active:
        return _(
            "The indicator “%(code)s” is hidden: an administrator must show it before its "
            "values can be uploaded."
        ) % {"code": code}
    return None


def _range_problem(indicator: Indicator, value: Decimal) -> str | None:
    if indicator.unit in HUNDRED_UNITS and not (0 <= value <= 100):
        return _("%(value)s is outside the range of this indicator: 0 to 100.") % {
            "value": value.normalize()
        }
    if value < 0:
        return _("%(value)s is outside the range of this indicator: it cannot be negative.") % {
            "value": value.normalize()
        }
    return None


def plan_values(*, rows, lock: bool = False) -> tuple[list[PlannedValue], list[RowError], int]:
    """The rows' values, each with the value it replaces; the row errors; and the number of rows
    left blank (no value: nothing to change). Three queries, whatever the number of rows:
    indicators, LAOs (kind, code, name), current values (locked FOR UPDATE with `lock`)."""
    errors: list[RowError] = []
    filled = [row for row in rows if row.values.get("value") is not None]
    blank = len(rows) - len(filled)
    codes = {row.values["indicator"] for row in filled if row.values.get("indicator")}
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(code__in=codes)
    }
    laos = {
        pk: (kind, code, name)
        for pk, kind, code, name in LAO.objects.filter(
            pk__in={row.lao_id for row in filled}
        ).values_list("pk", "kind", "dla_code", "full_name_th")
    }
    planned: list[PlannedValue] = []
    seen: dict[tuple, int] = {}
    for row in filled:
        if missing := row.required_errors(REQUIRED):
            errors.extend(missing)
            continue
        code = row.values["indicator"]
        indicator = indicators.get(code)
        if problem := _indicator_problem(indicator, code):
            errors.append(RowError(row.number, COLUMN_INDICATOR, problem))
            continue
        kind, lao_code, lao_name = laos[row.lao_id]
        if indicator.kinds and kind not in indicator.kinds:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_INDICATOR,
                    _("The indicator “%(code)s” does not apply to this kind of LAO.")
                    % {"code": code},
                )
            )
            continue
        if problem := _range_problem(indicator, row.values["value"]):
            errors.append(RowError(row.number, COLUMN_VALUE, problem))
            continue
        key = (row.lao_id, indicator.pk, row.values["fiscal_year"])
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    COLUMN_INDICATOR,
                    _("Duplicate: row %(row)s already has this LAO, indicator and fiscal year.")
                    % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        planned.append(
            PlannedValue(
                number=row.number,
                lao_id=row.lao_id,
                lao_code=lao_code,
                lao_name=lao_name,
                indicator=indicator,
                fiscal_year=row.values["fiscal_year"],
                value=row.values["value"],
                as_of=row.values.get("as_of"),
                status=row.values.get("status") or ValueStatus.FINAL,
            )
        )
    if planned:
        current = IndicatorValue.objects.filter(
            indicator_id__in={item.indicator.pk for item in planned},
            lao_id__in={item.lao_id for item in planned},
            fiscal_year__in={item.fiscal_year for item in planned},
        ).only(
            "indicator_id", "lao_id", "fiscal_year", "value", "reason", "source", "as_of",
            "status", "is_demo",
        )  # fmt: skip
        if lock:
            current = current.select_for_update(of=("self",))
        by_key = {(value.lao_id, value.indicator_id, value.fiscal_year): value for value in current}
        for item in planned:
            item.old = by_key.get((item.lao_id, item.indicator.pk, item.fiscal_year))
    return planned, errors, blank


def _value_text(value, status: str = "", reason: str = "") -> str:
    if value is None:
        return str(Reason(reason).label) if reason else ""
    text = f"{value.normalize():f}"
    return f"{text} ({ValueStatus(status).label})" if status else text


def imported_values_check(*, rows, user) -> CheckResult:
    """The dry run's preview: per row, the value now → after; how many values are new,
    changed, unchanged, and rows left blank."""
    planned, errors, blank = plan_values(rows=rows)
    changed = [item for item in planned if item.changed]
    laos = {item.lao_id for item in planned}
    changed_laos = {item.lao_id for item in changed}
    summary = {
        "changed": len(changed_laos),
        "unchanged": len(laos - changed_laos),
        "values_new": sum(1 for item in changed if item.old is None),
        "values_changed": sum(1 for item in changed if item.old is not None),
        "values_unchanged": len(planned) - len(changed),
        "rows_blank": blank,
        "changes": [
            {
                "row": item.number,
                "code": item.lao_code,
                "name": item.lao_name,
                "fields": [
                    [
                        f"{item.indicator.name} · {item.fiscal_year}",
                        _value_text(item.old.value, item.old.status, item.old.reason)
                        if item.old
                        else "",
                        _value_text(item.value, item.status),
                        bool(item.old and item.old.is_demo),
                    ]
                ],
            }
            for item in changed[:MAX_PREVIEW_CHANGES]
        ],
    }
    return CheckResult(errors=errors, summary=summary)


def imported_values_commit(*, rows, user, job) -> dict:
    """Check again under row locks, then write the changed values (inside the engine's
    transaction); once committed, one recompute of the uploaded years."""
    planned, errors, _blank = plan_values(rows=rows, lock=True)
    if errors:
        errors.sort(key=lambda error: error.row)
        raise InvalidUpload(errors)
    changed = [item for item in planned if item.changed]
    today = timezone.localdate()
    written = imported_values_write(
        items=[
            ImportedValue(
                indicator_id=item.indicator.pk,
                lao_id=item.lao_id,
                fiscal_year=item.fiscal_year,
                value=item.value,
                as_of=item.as_of or today,
                status=item.status,
            )
            for item in changed
        ]
    )
    if changed:
        fiscal_years = sorted({item.fiscal_year for item in changed})
        lao_ids = sorted({item.lao_id for item in changed})
        indicator_years = sorted({(item.indicator.pk, item.fiscal_year) for item in changed})
        transaction.on_commit(
            lambda: recompute_after_upload(
                fiscal_years=fiscal_years, lao_ids=lao_ids, indicator_years=indicator_years
            )
        )
        # The new values show at once (the ranks follow with the recompute, which bumps
        # again): cached pages must not keep the old ones until then.
        stamps.bump(STAMP)
    return {"written": written, "unchanged": len(planned) - len(changed)}


def recompute_after_upload(
    *, fiscal_years: list[int], lao_ids: list[int], indicator_years: list[tuple[int, int]]
) -> None:
    """ONE background recompute for the whole upload, not one task per LAO (units.changes is
    per LAO; an upload may change thousands): the pipeline redoes the ranks, statistics and
    saturation of the uploaded indicator-years for every LAO, and the per-LAO steps
    (completeness) for the LAOs whose values changed."""
    tasks.benchmarks_recompute_task.enqueue(
        fiscal_years=fiscal_years,
        lao_ids=lao_ids,
        indicator_years=[list(pair) for pair in indicator_years],
    )


# --- the template --------------------------------------------------------------------------------


def imported_template_rows(*, user):
    """Every LAO of the uploader's scope × every shown imported indicator, for the current fiscal
    year, with the value already there (blank where none), so that uploading the template back
    changes nothing. Three queries."""
    year = current_fiscal_year()
    indicators = list(
        Indicator.objects.active()
        .filter(source=Source.IMPORTED)
        .order_by("sort_order", "code")
        .only("pk", "code", "name_th")
    )
    laos = list(
        access.laos_managed_by(user)
        .exclude(dla_code=None)
        .order_by("dla_code")
        .values_list("pk", "dla_code", "full_name_th")
    )
    values = {
        (lao_id, indicator_id): (value, as_of, status, is_demo)
        for lao_id, indicator_id, value, as_of, status, is_demo in IndicatorValue.objects.filter(
            fiscal_year=year,
            indicator__in=indicators,
            lao__in=access.laos_managed_by(user),
            value__isnull=False,
        )
        .order_by()
        .values_list("lao_id", "indicator_id", "value", "as_of", "status", "is_demo")
        .iterator(chunk_size=5000)
    }
    statuses = {status.value: str(status.label) for status in ValueStatus}
    demo = _("Demo data")
    for lao_id, code, name in laos:
        for indicator in indicators:
            value, as_of, status, is_demo = values.get((lao_id, indicator.pk), (None,) * 4)
            yield [
                code,
                name,
                indicator.code,
                indicator.name_th,
                year,
                "" if value is None else float(value),
                "" if as_of is None else as_of.isoformat(),
                statuses.get(status, ""),
                demo if is_demo else "",
            ]


def imported_template_notes(*, request) -> list[str]:
    """Lines under the column notes: the codes that may be uploaded, and how rows count."""
    years = uploadable_fiscal_years()
    indicators = (
        Indicator.objects.active().filter(source=Source.IMPORTED).order_by("sort_order", "code")
    )
    lines = [
        _("A row with a blank value changes nothing: fill in only the values you have."),
        _(
            "A demo value uploaded unchanged stays marked as demo data: type the real value to "
            "replace it."
        ),
        _("Fiscal years accepted now: %(first)s to %(last)s.")
        % {"first": years[0], "last": years[-1]},
        _("Indicator codes you can upload:"),
    ]
    lines += [f"{i.code}: {i.name_th} / {i.name_en} ({i.get_unit_display()})" for i in indicators]
    return lines


imported_values_upload_type = UploadType(
    key=IMPORTED_VALUES_UPLOAD,
    title=gettext_lazy("Imported indicator values (LPA, ITA and others)"),
    description=gettext_lazy(
        "One row per LAO, indicator and fiscal year: the value, the date of the data and "
        "whether it is final. Rankings are recomputed after saving."
    ),
    committed_note=gettext_lazy(
        "The rankings and statistics of these years are being recomputed in the background."
    ),
    resource_class=ImportedValueResource,
    template_rows=imported_template_rows,
    check=imported_values_check,
    commit=imported_values_commit,
    lao_code_field="dla_code",
    unique_fields=(),  # several indicators and years per LAO: duplicates are checked per value
    preview_template="benchmarks/_upload_preview.html",
    column_notes={
        COLUMN_CODE: ("DLA code", gettext_lazy("Required. 7 digits; keep it as text.")),
        COLUMN_NAME: ("LAO name", gettext_lazy("For reading only: ignored on upload.")),
        COLUMN_INDICATOR: (
            "Indicator code",
            gettext_lazy(
                "Required with a value. The code of a shown imported indicator, such as ita or "
                "lpa-finance (listed below)."
            ),
        ),
        COLUMN_INDICATOR_NAME: (
            "Indicator name",
            gettext_lazy("For reading only: ignored on upload."),
        ),
        COLUMN_YEAR: (
            "Fiscal year",
            gettext_lazy("Required with a value. Buddhist Era, such as 2569."),
        ),
        COLUMN_VALUE: (
            "Value",
            gettext_lazy(
                "The value, at most four decimals. Percentages and scores from 0 to 100. A "
                "blank value leaves the row out."
            ),
        ),
        COLUMN_AS_OF: (
            "As of",
            gettext_lazy(
                "Optional. The date of the data, such as 30/09/2569 or 2026-09-30; blank: the "
                "day the upload is saved."
            ),
        ),
        COLUMN_STATUS: (
            "Status",
            gettext_lazy("Optional. เป็นที่สุด (final) or เบื้องต้น (provisional); blank: final."),
        ),
        COLUMN_DEMO: (
            "Demo data",
            gettext_lazy("For reading only: marks a value that is demo data."),
        ),
    },
    template_notes=imported_template_notes,
)
