"""Annual budget plans of LAOs and the Thai LAO budget classification (DESIGN.md §3).

Classification (reference data, editable in the admin, each with a stable `key` used in
spreadsheets): sector ด้าน → programme แผนงาน → work งาน; expense category งบ → type หมวด;
revenue group → source หมวดรายได้.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import LAO


class ClassificationItem(models.Model):
    key = models.CharField(_("code"), max_length=64, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "key"]

    def __str__(self):
        return self.name_th


class Sector(ClassificationItem):
    """ด้าน: the four sectors of LAO expenditure."""

    class Meta(ClassificationItem.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Programme(ClassificationItem):
    """แผนงาน: a programme of a sector."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("sector")
    )

    class Meta(ClassificationItem.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class Work(ClassificationItem):
    """งาน: a work unit of a programme (key `PROGRAMME.NN`)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="works", verbose_name=_("programme")
    )

    class Meta(ClassificationItem.Meta):
        verbose_name = _("work")
        verbose_name_plural = _("works")


class ExpenseCategory(ClassificationItem):
    """งบ: the top level of the expense classification (central fund, personnel, ...)."""

    account_code = models.CharField(_("account code"), max_length=6, blank=True)

    class Meta(ClassificationItem.Meta):
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")


class ExpenseType(ClassificationItem):
    """หมวด: an expense type of a category (salaries, materials, equipment, ...)."""

    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="types", verbose_name=_("category")
    )
    account_code = models.CharField(_("account code"), max_length=6, blank=True)

    class Meta(ClassificationItem.Meta):
        verbose_name = _("expense type")
        verbose_name_plural = _("expense types")


class RevenueGroup(ClassificationItem):
    """Own-source revenue, shared taxes, grants."""

    class Meta(ClassificationItem.Meta):
        verbose_name = _("revenue group")
        verbose_name_plural = _("revenue groups")


class RevenueSource(ClassificationItem):
    """หมวดรายได้: a revenue source of a group."""

    group = models.ForeignKey(
        RevenueGroup, on_delete=models.PROTECT, related_name="sources", verbose_name=_("group")
    )
    account_code = models.CharField(_("account code"), max_length=6, blank=True)

    class Meta(ClassificationItem.Meta):
        verbose_name = _("revenue source")
        verbose_name_plural = _("revenue sources")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ENACTED = "enacted", _("Enacted")


class BudgetPlanQuerySet(models.QuerySet):
    def enacted(self):
        """Plans in force: the only ones shown to the public."""
        return self.filter(status=PlanStatus.ENACTED)


class BudgetPlan(models.Model):
    """The annual expenditure budget (ข้อบัญญัติ/เทศบัญญัติงบประมาณรายจ่าย) of an LAO."""

    lao = models.ForeignKey(
        LAO, on_delete=models.PROTECT, related_name="budget_plans", verbose_name=_("LAO")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Optimistic locking: every save increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    total_expenditure = models.DecimalField(
        _("total expenditure"), max_digits=16, decimal_places=2, default=0
    )
    total_revenue = models.DecimalField(
        _("estimated revenue"), max_digits=16, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
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
    enacted_at = models.DateTimeField(_("enacted at"), null=True, blank=True)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    # Why expenditure exceeds estimated revenue (budgets.rules.revenue_flag), stated on submit
    # and read by the reviewer; empty while the plan is not flagged.
    imbalance_reason = models.TextField(_("reason for the deficit"), blank=True)
    # Generated by seed_demo, not entered by the LAO: shown with a "demo data" mark.
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = BudgetPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "lao__dla_code"]
        verbose_name = _("budget plan")
        verbose_name_plural = _("budget plans")
        constraints = [
            models.UniqueConstraint(fields=["lao", "fiscal_year"], name="budgetplan_one_per_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="budgetplan_fiscal_year_be",
            ),
            models.CheckConstraint(
                condition=~Q(status="enacted") | Q(enacted_at__isnull=False),
                name="budgetplan_enacted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["fiscal_year", "status"], name="budgetplan_year_status"),
            # The explorer counts every LAO's plan of a year by status from this index alone.
            models.Index(
                fields=["fiscal_year", "lao", "status"], name="budgetplan_year_lao_status"
            ),
            # The explorer's province level reads its LAOs' plans one LAO at a time: the plan
            # of the year (status, total) and the enacted plans of the trend years, from the
            # index alone, instead of every plan of the year (~7,600) or of five years.
            models.Index(
                fields=["lao", "fiscal_year", "status"],
                include=["id", "total_expenditure"],
                name="budgetplan_lao_year_status",
            ),
            models.Index(fields=["status", "submitted_at"], name="budgetplan_status_submitted"),
        ]

    def __str__(self):
        return f"{self.lao} {self.fiscal_year}"

    @property
    def balance(self):
        """Estimated revenue minus expenditure (negative: a deficit to explain)."""
        return self.total_revenue - self.total_expenditure


class PlanAction(models.TextChoices):
    CREATED = "created", _("Created")
    SAVED = "saved", _("Saved")
    UPLOADED = "uploaded", _("Lines uploaded")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn by the LAO")
    RETURNED = "returned", _("Returned for revision")
    ENACTED = "enacted", _("Enacted")


class BudgetPlanEvent(models.Model):
    """One step of a plan's life: who did what, when, with the comment of a return."""

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan")
    )
    action = models.CharField(_("action"), max_length=16, choices=PlanAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        indexes = [models.Index(fields=["plan", "-at"], name="budgetplanevent_plan_time")]

    def __str__(self):
        return f"{self.plan}: {self.get_action_display()}"


class BudgetLine(models.Model):
    """One line of a plan: programme (and work), expense type, item text and amount."""

    # The (plan, programme) index serves lookups by plan; the classification columns have few
    # values and are never filtered alone, so their foreign keys get no index of their own
    # (1.5M lines load much faster without them).
    plan = models.ForeignKey(
        BudgetPlan,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("plan"),
        db_index=False,
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("programme"),
        db_index=False,
    )
    work = models.ForeignKey(
        Work,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work"),
        db_index=False,
    )
    expense_type = models.ForeignKey(
        ExpenseType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("expense type"),
        db_index=False,
    )
    item = models.CharField(_("item"), max_length=500)
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_positive"),
        ]
        indexes = [models.Index(fields=["plan", "programme"], name="budgetline_plan_programme")]

    def __str__(self):
        return self.item


class RevenueEstimate(models.Model):
    """Estimated revenue of a plan from one source."""

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="revenues", verbose_name=_("plan")
    )
    source = models.ForeignKey(
        RevenueSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan", "source__sort_order"]
        verbose_name = _("revenue estimate")
        verbose_name_plural = _("revenue estimates")
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="revenue_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="revenue_amount_positive"),
        ]

    def __str__(self):
        return f"{self.source}: {self.amount}"


class BudgetRollup(models.Model):
    """Enacted budget summed by fiscal year × province × LAO kind × programme × expense category.

    Kept current by `budgets.services` when a plan is enacted (or an enacted plan is replaced), so
    the national explorer never sums millions of lines per request. A row with province, kind,
    programme or category null is the total over that dimension (GROUPING SETS).
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    province = models.ForeignKey(
        "units.Province", on_delete=models.CASCADE, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.CASCADE, null=True, related_name="+"
    )
    amount = models.DecimalField(_("amount (baht)"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("budget rollup")
        verbose_name_plural = _("budget rollups")
        constraints = [
            # One row per cell, the null "all" cells included: rollups are upserted by delta.
            models.UniqueConstraint(
                fields=["fiscal_year", "province", "kind", "programme", "category"],
                nulls_distinct=False,
                name="budgetrollup_one_per_cell",
            )
        ]

    def __str__(self):
        return f"{self.fiscal_year}: {self.amount}"
