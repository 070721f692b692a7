"""Speed of spreadsheet uploads, written to bench/results-upload.md.

1. The registry upload ("units.registry") over every LAO with a DLA code, as an administrator:
   dry run (read + validate + preview) and commit (validate again + write + history), through the
   same functions the background task runs. Everything happens in one transaction that is rolled
   back at the end, so the demo data stays as it was (and stays marked as demo data).
2. The machinery's read + validate path on a generated 50,000-row workbook, with an upload type
   of the bench's own (LAO code, item, amount: like budget lines).
3. The budget lines upload ("budgets.lines") of 10,000 and 50,000 generated rows (50 lines for
   each of 200 and 1,000 real LAOs, next fiscal year), dry run and commit, and beside them a plain
   PostgreSQL COPY of the same 50,000 rows into budgets_budgetline, all rolled back.
4. The project progress upload ("projects.progress") of 50,000 rows: two disbursement rows for
   each of 25,000 open demo projects of the current fiscal year (contracted ones also move to
   "in progress", progress + 1), dry run and commit, rolled back.

Run through `make bench` (after bench/run.py), on the national registry:

    python bench/upload.py [--rows 50000]
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from import_export import fields, resources  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from units.models import LAO, Role, UploadJob, UploadStatus, User  # noqa: E402
from units.resources import CountWidget  # noqa: E402
from units.uploads import engine  # noqa: E402
from units.uploads.laos import REGISTRY_UPLOAD  # noqa: E402
from units.uploads.registry import CheckResult, UploadType, register_upload_type  # noqa: E402
from units.uploads.widgets import CodeWidget, TextWidget  # noqa: E402

RESULTS = ROOT / "bench" / "results-upload.md"
TARGET_ROWS_PER_SECOND = 10_000


class BenchLineResource(resources.Resource):
    dla_code = fields.Field(attribute="dla_code", column_name="รหัส อปท.", widget=CodeWidget())
    item = fields.Field(attribute="item", column_name="รายการ", widget=TextWidget(200))
    amount = fields.Field(attribute="amount", column_name="จำนวนเงิน", widget=CountWidget())


BENCH_TYPE = UploadType(
    key="bench.lines",
    title="bench lines",
    resource_class=BenchLineResource,
    template_rows=lambda *, user: [],
    check=lambda *, rows, user: CheckResult(summary={"changed": len(rows)}),
    commit=lambda *, rows, user, job: {"changed": 0},
    unique_fields=("dla_code", "item"),
)


def write_workbook(path: Path, headers: list[str], rows) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


STORED: list[str] = []


def make_job(user, kind: str, path: Path) -> UploadJob:
    job = UploadJob(kind=kind, user=user, original_name=path.name, size=path.stat().st_size)
    with path.open("rb") as handle:
        job.file.save(f"bench-{kind}.xlsx", File(handle), save=False)
    STORED.append(job.file.name)
    job.save()
    return job


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


# --- budget lines ("budgets.lines") -----------------------------------------------------------

BUDGET_HEADERS = [
    "รหัส อปท.",
    "ปีงบประมาณ",
    "รหัสแผนงาน",
    "รหัสงาน",
    "รหัสหมวดรายจ่าย",
    "รายการ",
    "จำนวนเงิน",
]
LINES_PER_LAO = 50


def budget_rows(codes: list[str], fiscal_year: int, count: int):
    """`count` rows: LINES_PER_LAO lines for each of the first LAOs, valid classification."""
    from budgets.models import ExpenseType, Work

    works = list(Work.objects.values_list("programme__key", "key"))
    types = list(ExpenseType.objects.values_list("key", flat=True))
    for n in range(count):
        programme, work = works[n % len(works)]
        yield [
            codes[n // LINES_PER_LAO],
            fiscal_year,
            programme,
            work if n % 3 else "",
            types[n % len(types)],
            f"รายการงบประมาณที่ {n % LINES_PER_LAO + 1}",
            f"{(n % 997 + 1) * 1250:,}.50",
        ]


def bench_budget_lines(*, user, codes: list[str], folder: Path) -> list[tuple]:
    """Budget lines uploads of 10,000 and 50,000 rows for next year's plans (created by the
    first, partly replaced by the second), then a plain COPY of the same 50,000 rows."""
    from budgets.models import BudgetLine, BudgetPlan
    from budgets.resources import BudgetLineResource
    from budgets.uploads import BUDGET_LINES_UPLOAD
    from units.thai import current_fiscal_year

    fiscal_year = current_fiscal_year() + 1
    results = []
    for count in (10_000, 50_000):
        path = folder / f"budget-{count}.xlsx"
        write_workbook(path, BUDGET_HEADERS, budget_rows(codes, fiscal_year, count))
        job = make_job(user, BUDGET_LINES_UPLOAD, path)
        job, check_seconds = timed(engine.run_check, job.pk)
        assert job.status == UploadStatus.VALID, (job.status, job.message, job.errors[:3])
        UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
        job, commit_seconds = timed(engine.run_commit, job.pk)
        assert job.status == UploadStatus.COMMITTED, (job.status, job.message)
        results.append(
            (f"budget lines {count:,}: dry run (read + validate + preview)", count, check_seconds)
        )
        results.append(
            (
                f"budget lines {count:,}: commit (read + validate + replace + COPY)",
                count,
                commit_seconds,
            )
        )

    # The floor: the same rows COPYed straight into the lines table (ids already resolved).
    plans = dict(
        BudgetPlan.objects.filter(fiscal_year=fiscal_year, lao__dla_code__in=codes).values_list(
            "lao__dla_code", "pk"
        )
    )
    widgets = {
        field.column_name: field.widget for field in BudgetLineResource().get_import_fields()
    }
    programme, work, expense_type, amount = (
        widgets[name] for name in ("รหัสแผนงาน", "รหัสงาน", "รหัสหมวดรายจ่าย", "จำนวนเงิน")
    )
    resolved = [
        (
            plans[row[0]],
            programme.clean(row[2]),
            work.clean(row[3]) if row[3] else None,
            expense_type.clean(row[4]),
            row[5],
            amount.clean(row[6]),
            position,
        )
        for position, row in enumerate(budget_rows(codes, fiscal_year, 50_000))
    ]
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {BudgetLine._meta.db_table} (plan_id, programme_id, work_id, expense_type_id, "
            "item, amount, position) FROM STDIN"
        ) as copy,
    ):
        for row in resolved:
            copy.write_row(row)
    results.append(
        (
            "plain PostgreSQL COPY of the same 50,000 rows (no checks)",
            50_000,
            time.perf_counter() - started,
        )
    )
    return results


# --- project progress ("projects.progress") ------------------------------------------------------

PROGRESS_HEADERS = [
    "รหัส อปท.",
    "รหัสโครงการ",
    "ชื่อโครงการ",
    "ขั้นตอน",
    "ความก้าวหน้า (%)",
    "วันที่เบิกจ่าย",
    "จำนวนเงินเบิกจ่าย",
    "เลขที่อ้างอิง",
]


def bench_project_progress(*, user, folder: Path, count: int = 50_000) -> list[tuple]:
    """A progress upload of `count` rows over count / 2 contracted or ongoing demo projects of
    many LAOs (admin scope): each gets two small disbursements, contracted ones move on."""
    from django.db.models import F

    from projects.models import Project, Stage
    from projects.uploads import PROGRESS_UPLOAD
    from units.thai import current_fiscal_year

    projects = list(
        Project.objects.filter(
            fiscal_year=current_fiscal_year(),
            stage__in=[Stage.CONTRACTED, Stage.IN_PROGRESS],
            disbursed_total__lte=F("budget_amount") - 10,
            contract_amount__gte=F("disbursed_total") + 10,
        )
        .order_by("lao_id", "code")
        .values_list("lao__dla_code", "code", "stage", "progress_percent")[: count // 2]
    )
    if len(projects) < count // 2:
        return [(f"project progress: only {len(projects):,} open demo projects", 0, 0)]

    def rows():
        for n, (code, project, stage, progress) in enumerate(projects):
            move = "in_progress" if stage == Stage.CONTRACTED else ""
            yield [
                code,
                project,
                "",
                move,
                min(progress + 1, 100),
                "01/11/2569",
                "1.25",
                f"BENCH-{n}-1",
            ]
            yield [code, project, "", "", "", "2026-11-02", "2", f"BENCH-{n}-2"]

    path = folder / f"progress-{count}.xlsx"
    write_workbook(path, PROGRESS_HEADERS, rows())
    job = make_job(user, PROGRESS_UPLOAD, path)
    job, check_seconds = timed(engine.run_check, job.pk)
    assert job.status == UploadStatus.VALID, (job.status, job.message, job.errors[:3])
    UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
    job, commit_seconds = timed(engine.run_commit, job.pk)
    assert job.status == UploadStatus.COMMITTED, (job.status, job.message)
    return [
        (f"project progress {count:,}: dry run (read + validate + preview)", count, check_seconds),
        (
            f"project progress {count:,}: commit (read + validate + stages, disbursements, "
            "rollups, followers)",
            count,
            commit_seconds,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    register_upload_type(BENCH_TYPE)
    lines = []
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        user, _ = User.objects.get_or_create(
            username="bench-upload", defaults={"role": Role.ADMIN, "is_superuser": True}
        )
        laos = list(
            LAO.objects.exclude(dla_code=None)
            .order_by("dla_code")
            .values_list("dla_code", "population", "households")
        )
        if not laos:
            raise SystemExit("No LAOs: load the registry first (make bench seeds it).")

        registry = Path(folder) / "registry.xlsx"
        write_workbook(
            registry,
            ["รหัส อปท.", "ชื่อ อปท.", "ประชากร", "ครัวเรือน", "โทรศัพท์", "อีเมล", "เว็บไซต์", "ผู้บริหาร"],
            (
                [code, "", f"{(population or 1000) + 7:,}", (households or 100) + 1, "", "", "", ""]
                for code, population, households in laos
            ),
        )
        job = make_job(user, REGISTRY_UPLOAD, registry)
        job, check_seconds = timed(engine.run_check, job.pk)
        assert job.status == UploadStatus.VALID, (job.status, job.message, job.errors[:3])
        UploadJob.objects.filter(pk=job.pk).update(status=UploadStatus.COMMITTING)
        job, commit_seconds = timed(engine.run_commit, job.pk)
        assert job.status == UploadStatus.COMMITTED, (job.status, job.message)
        count = len(laos)
        lines.append(("registry: dry run (read + validate + preview)", count, check_seconds))
        lines.append(
            ("registry: commit (read + validate + write + history)", count, commit_seconds)
        )

        generated = Path(folder) / "lines.xlsx"
        codes = [code for code, _population, _households in laos]
        write_workbook(
            generated,
            ["รหัส อปท.", "รายการ", "จำนวนเงิน"],
            ([codes[n % len(codes)], f"รายการที่ {n}", f"{n * 10:,}"] for n in range(args.rows)),
        )
        job = make_job(user, BENCH_TYPE.key, generated)
        job, lines_seconds = timed(engine.run_check, job.pk)
        assert job.status == UploadStatus.VALID, (job.status, job.message, job.errors[:3])
        lines.append(
            (f"machinery: {args.rows:,} generated rows, read + validate", args.rows, lines_seconds)
        )
        lines += bench_budget_lines(user=user, codes=codes, folder=Path(folder))
        lines += bench_project_progress(user=user, folder=Path(folder))
        transaction.set_rollback(True)  # leave the demo data as it was
    for name in STORED:
        default_storage.delete(name)

    report = [
        "# Upload benchmark",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
        f"(bench/upload.py), {os.cpu_count()} cores, the same functions as the upload task; "
        "the commits (registry, budget lines, COPY) are rolled back afterwards.",
        "",
        "| step | rows | seconds | rows/s | target | ok |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, rows, seconds in lines:
        rate = rows / seconds if seconds else 0
        ok = "yes" if rate >= TARGET_ROWS_PER_SECOND else "**no**"
        report.append(
            f"| {name} | {rows:,} | {seconds:.2f} | {rate:,.0f} | "
            f"≥ {TARGET_ROWS_PER_SECOND:,} | {ok} |"
        )
        print(f"{name:<60} {rows:>7,} rows {seconds:6.2f} s {rate:>9,.0f} rows/s")
    report += ["", "Target (DESIGN.md §5): parse + validate + commit ≥ 10,000 rows/s.", ""]
    RESULTS.write_text("\n".join(report), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
