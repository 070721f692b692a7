"""Local development plans, their projects, stages, disbursements and the quarterly progress
reports LAOs send to DLA (DESIGN.md §3)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import LAO


class DevelopmentPlan(models.Model):
    """An LAO's five-year local development plan (แผนพัฒนาท้องถิ่น): its span, vision and
    strategies."""

    lao = models.ForeignKey(
        LAO, on_delete=models.PROTECT, related_name="development_plans", verbose_name=_("LAO")
    )
    start_year = models.PositiveSmallIntegerField(_("first fiscal year"))
    end_year = models.PositiveSmallIntegerField(_("last fiscal year"))
    vision = models.TextField(_("vision"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["lao", "-start_year"]
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(fields=["lao", "start_year"], name="devplan_one_per_start"),
            models.CheckConstraint(
                condition=Q(end_year=models.F("start_year") + 4), name="devplan_five_years"
            ),
        ]

    def __str__(self):
        return f"{self.lao} {self.start_year}–{self.end_year}"


class Strategy(models.Model):
    """A development strategy (ยุทธศาสตร์การพัฒนา) of a plan."""

    plan = models.ForeignKey(
        DevelopmentPlan,
        on_delete=models.CASCADE,
        related_name="strategies",
        verbose_name=_("development plan"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="strategy_number_per_plan")
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FUNDED = "funded", _("Funded")
    PROCUREMENT = "procurement", _("Procurement")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    CARRIED_OVER = "carried_over", _("Carried over")


# The only moves a project's stage may make; the last three stages are final.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Stage.PLANNED: {Stage.FUNDED, Stage.CANCELLED, Stage.CARRIED_OVER},
    Stage.FUNDED: {Stage.PROCUREMENT, Stage.CANCELLED, Stage.CARRIED_OVER},
    Stage.PROCUREMENT: {Stage.CONTRACTED, Stage.CANCELLED, Stage.CARRIED_OVER},
    Stage.CONTRACTED: {Stage.IN_PROGRESS, Stage.CANCELLED},
    Stage.IN_PROGRESS: {Stage.COMPLETED, Stage.CANCELLED, Stage.CARRIED_OVER},
    Stage.COMPLETED: set(),
    Stage.CANCELLED: set(),
    Stage.CARRIED_OVER: set(),
}
# Stages in which money may be paid out.
DISBURSING_STAGES = {Stage.CONTRACTED, Stage.IN_PROGRESS, Stage.COMPLETED}
# The most a project may pay out, in SQL: its contract amount, or its budget without a contract
# (projects.rules.disbursement_limit in Python).
DISBURSEMENT_LIMIT = models.functions.Coalesce("contract_amount", "budget_amount")


class ProjectQuerySet(models.QuerySet):
    def open(self):
        """Projects not yet completed, cancelled or carried over."""
        return self.exclude(stage__in=[Stage.COMPLETED, Stage.CANCELLED, Stage.CARRIED_OVER])


class Project(models.Model):
    """A project of an LAO's development plan for one fiscal year, with its stage and money."""

    # No index of its own: (lao, code) and (lao, fiscal_year, stage) lead with it.
    lao = models.ForeignKey(
        LAO,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("LAO"),
        db_index=False,
    )
    # Stable within the LAO (e.g. "2570-001"): the key used in spreadsheets.
    code = models.CharField(_("project code"), max_length=32)
    name = models.CharField(_("name"), max_length=500)
    plan = models.ForeignKey(
        DevelopmentPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("development plan"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("strategy"),
    )
    # Few values, read through the rollups: no index (3M rows load faster without it).
    programme = models.ForeignKey(
        "budgets.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
        db_index=False,
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    budget_amount = models.DecimalField(_("budget (baht)"), max_digits=14, decimal_places=2)
    location = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    targets = models.TextField(_("targets"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PLANNED
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contractor = models.CharField(_("contractor"), max_length=300, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Kept equal to the sum of the project's disbursements by projects.services.
    disbursed_total = models.DecimalField(
        _("disbursed (baht)"), max_digits=14, decimal_places=2, default=0
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["lao", "-fiscal_year", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["lao", "code"], name="project_code_per_lao"),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="project_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__gte=0) & Q(disbursed_total__gte=0),
                name="project_amounts_positive",
            ),
            # Never more paid out than the contract, or than the budget without a contract.
            models.CheckConstraint(
                condition=Q(disbursed_total__lte=DISBURSEMENT_LIMIT),
                name="project_disbursed_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__isnull=True)
                | Q(contract_amount__lte=models.F("budget_amount")),
                name="project_contract_within_budget",
            ),
        ]
        indexes = [
            models.Index(fields=["lao", "fiscal_year", "stage"], name="project_lao_year_stage"),
            models.Index(fields=["fiscal_year", "stage"], name="project_year_stage"),
            # The dashboard's lagging projects: the open ones of a year, LAO by LAO.
            models.Index(
                fields=["fiscal_year", "lao", "code"],
                condition=Q(
                    stage__in=["planned", "funded", "procurement", "contracted", "in_progress"]
                ),
                name="project_open_year_lao_code",
            ),
            # The back-office search over ~3M projects: a name fragment (`__contains`, Thai has
            # no spaces) and a code prefix (`__startswith`), both through trigrams (STACK.md).
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="project_name_trgm"),
            GinIndex(fields=["code"], opclasses=["gin_trgm_ops"], name="project_code_trgm"),
        ]

    def __str__(self):
        return self.name

    @property
    def disbursement_limit(self):
        """The most the project may pay out: its contract amount, or its budget without a
        contract (projects.rules.disbursement_limit, the constraint below in Python)."""
        from projects.rules import disbursement_limit

        return disbursement_limit(
            contract_amount=self.contract_amount, budget_amount=self.budget_amount
        )


class StageChange(models.Model):
    """One move of a project's stage: from, to, who, when and a note."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("project"),
        db_index=False,
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["project", "at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["project", "at"], name="stagechange_project_time")]

    def __str__(self):
        return f"{self.project}: {self.from_stage} → {self.to_stage}"


class Disbursement(models.Model):
    """Money paid out for a project. `reference` (a voucher number) makes an uploaded
    disbursement idempotent: the same project, date, amount and reference are one payment."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="disbursements",
        verbose_name=_("project"),
        db_index=False,
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "date", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.UniqueConstraint(
                fields=["project", "date", "amount", "reference"],
                name="disbursement_once",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.amount} ({self.date})"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReport(models.Model):
    """The quarterly progress report an LAO sends to DLA (quarters of the Thai fiscal year).
    Accepting it freezes its items."""

    lao = models.ForeignKey(
        LAO, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("LAO")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    due_date = models.DateField(_("due date"))
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    return_comment = models.TextField(_("comment when returned"), blank=True)
    # The LAO's own words for the reviewer; frozen with the figures once accepted.
    narrative = models.TextField(_("problems, obstacles and help needed"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-fiscal_year", "-quarter", "lao"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["lao", "fiscal_year", "quarter"], name="report_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="report_quarter_1_to_4"
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "quarter", "status"], name="report_quarter_status")
        ]

    def __str__(self):
        return f"{self.lao} {self.fiscal_year} Q{self.quarter}"


class ProgressReportItem(models.Model):
    """A project's figures at the end of the report's quarter (a frozen snapshot once the
    report is accepted)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="items", verbose_name=_("report")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("project"),
        db_index=False,
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"))
    budget_amount = models.DecimalField(_("budget (baht)"), max_digits=14, decimal_places=2)
    disbursed_total = models.DecimalField(_("disbursed (baht)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["report", "project"]
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        constraints = [
            models.UniqueConstraint(fields=["report", "project"], name="report_item_once")
        ]

    def __str__(self):
        return f"{self.report}: {self.project_id}"


class Follow(models.Model):
    """A registered citizen following an LAO or a project, to be told of changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("user"),
    )
    lao = models.ForeignKey(
        LAO,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("LAO"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("project"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(lao__isnull=False) ^ Q(project__isnull=False),
                name="follow_lao_or_project",
            ),
            models.UniqueConstraint(fields=["user", "lao"], name="follow_lao_once"),
            models.UniqueConstraint(fields=["user", "project"], name="follow_project_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.lao or self.project}"


class Notification(models.Model):
    """Something a follower is told: shown on their account page, e-mailed where configured."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_time")]

    def __str__(self):
        return self.message


class ProjectRollup(models.Model):
    """Projects summed by fiscal year × province × LAO kind × programme (NULL / "" = all, a
    CUBE): budget, disbursed and the count in each stage. Kept current by projects.services so
    the executive dashboard never sums millions of rows per request."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    province = models.ForeignKey(
        "units.Province", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    programme = models.ForeignKey(
        "budgets.Programme", on_delete=models.CASCADE, null=True, related_name="+"
    )
    budget_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    disbursed_amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    projects = models.PositiveIntegerField(default=0)
    planned = models.PositiveIntegerField(default=0)
    funded = models.PositiveIntegerField(default=0)
    procurement = models.PositiveIntegerField(default=0)
    contracted = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    carried_over = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("project rollup")
        verbose_name_plural = _("project rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "province", "kind", "programme"],
                nulls_distinct=False,
                name="projectrollup_one_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.fiscal_year}: {self.projects}"
