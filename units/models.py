"""Geography, the LAO registry and the portal's user (DESIGN.md §3)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    NORTH = "north", _("Northern")
    NORTHEAST = "northeast", _("Northeastern")
    CENTRAL = "central", _("Central")
    EAST = "east", _("Eastern")
    WEST = "west", _("Western")
    SOUTH = "south", _("Southern")


class Province(models.Model):
    """A province (จังหวัด) with its 2-digit Interior code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    # GeoJSON geometry (simplified OCHA boundary), drawn by the offline maps.
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name_th


class District(models.Model):
    """A district (อำเภอ / เขต) with its 4-digit Interior code."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name_th


class Subdistrict(models.Model):
    """A subdistrict (ตำบล / แขวง) with its 6-digit Interior code."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")

    def __str__(self):
        return self.name_th


class LAOKind(models.TextChoices):
    PAO = "pao", _("Provincial Administrative Organization")
    CITY_MUNICIPALITY = "city", _("City Municipality")
    TOWN_MUNICIPALITY = "town", _("Town Municipality")
    SUBDISTRICT_MUNICIPALITY = "subdistrict", _("Subdistrict Municipality")
    SAO = "sao", _("Subdistrict Administrative Organization")
    BANGKOK = "bangkok", _("Bangkok Metropolitan Administration")
    PATTAYA = "pattaya", _("Pattaya City")


BANGKOK_URL_CODE = "bangkok"


class LAOQuerySet(models.QuerySet):
    def active(self):
        """LAOs in the current DLA registry."""
        return self.filter(is_active=True)

    def in_province(self, province):
        return self.filter(province=province)

    def with_geography(self):
        """Joins province, district and subdistrict for lists and profiles."""
        return self.select_related("province", "district", "subdistrict")

    def by_url_code(self, code: str):
        """The LAO(s) a URL code names: its DLA code, or `bangkok` for Bangkok (which has none)."""
        if code == BANGKOK_URL_CODE:
            return self.filter(kind=LAOKind.BANGKOK, dla_code=None)
        return self.filter(dla_code=code)


class LAO(models.Model):
    """A Local Administrative Organization (อปท.). Bangkok has no DLA code."""

    dla_code = models.CharField(_("DLA code"), max_length=7, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LAOKind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    full_name_th = models.CharField(_("full name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="laos", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="laos",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.SET_NULL,
        related_name="laos",
        null=True,
        blank=True,
        verbose_name=_("subdistrict"),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    chief_executive = models.CharField(_("chief executive"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Fields whose values were generated for the demo (the public data lacks them); shown with a
    # "demo data" mark until someone enters the real value.
    demo_fields = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, verbose_name=_("demo fields")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LAOQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "dla_code"]
        verbose_name = _("LAO")
        verbose_name_plural = _("LAOs")
        indexes = [
            models.Index(fields=["province", "kind"], name="lao_province_kind"),
            models.Index(fields=["district", "kind"], name="lao_district_kind"),
            # Counts of active LAOs (by kind) read this index only, never the wide table.
            models.Index(fields=["is_active", "kind"], name="lao_active_kind"),
            # Counts by province (and kind) joined to other tables read the index only.
            models.Index(
                fields=["is_active", "province", "kind"],
                include=["id"],
                name="lao_active_province_kind",
            ),
            # Thai has no spaces: substring search through trigrams (`__contains`, STACK.md).
            GinIndex(fields=["name_th"], opclasses=["gin_trgm_ops"], name="lao_name_th_trgm"),
            GinIndex(
                fields=["full_name_th"], opclasses=["gin_trgm_ops"], name="lao_full_name_th_trgm"
            ),
            GinIndex(OpClass(Upper("name_en"), name="gin_trgm_ops"), name="lao_name_en_upper_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="bangkok") | Q(dla_code__isnull=False),
                name="lao_dla_code_required_outside_bangkok",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True)
                | Q(households__isnull=True)
                | Q(households__lte=models.F("population")),
                name="lao_households_not_above_population",
            ),
        ]

    def __str__(self):
        return self.full_name_th or self.name_th

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.url_code])

    @property
    def kind_label(self) -> str:
        """The kind's name in the active language (lists call it on every row:
        `get_kind_display` rebuilds the choices dict each time)."""
        return LAOKind(self.kind).label

    @property
    def url_code(self) -> str:
        """The code in the LAO's URLs: its DLA code, or `bangkok` for Bangkok."""
        return self.dla_code or BANGKOK_URL_CODE

    def is_demo(self, field: str) -> bool:
        """Was this field's value generated for the demo rather than taken from a real source?"""
        return field in self.demo_fields


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICER = "officer", _("LAO officer")
    PROVINCIAL = "provincial", _("Provincial staff")
    EXECUTIVE = "executive", _("DLA executive")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A portal user: a role, and the scope the role works in (an LAO or a province)."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CITIZEN)
    lao = models.ForeignKey(
        LAO,
        on_delete=models.PROTECT,
        related_name="officers",
        null=True,
        blank=True,
        verbose_name=_("LAO"),
        help_text=_("The LAO an officer works for."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("province"),
        help_text=_("The province a provincial staff member covers."),
    )

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(lao__isnull=False),
                name="user_officer_has_lao",
            ),
            models.CheckConstraint(
                condition=~Q(role="provincial") | Q(province__isnull=False),
                name="user_provincial_has_province",
            ),
            models.UniqueConstraint(
                Upper("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
            ),
        ]


class ChangeSource(models.TextChoices):
    FORM = "form", _("Edited on the portal")
    UPLOAD = "upload", _("Spreadsheet upload")
    IMPORT = "import", _("DLA registry import")
    ADMIN = "admin", _("Django admin")


class LAOChange(models.Model):
    """One change to an LAO's data: who, when, how, and each field's old → new value."""

    lao = models.ForeignKey(
        LAO, on_delete=models.CASCADE, related_name="changes", verbose_name=_("LAO")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    source = models.CharField(_("source"), max_length=16, choices=ChangeSource.choices)
    # {"field": [old, new], ...} with values as shown (strings), so history outlives schema changes.
    changes = models.JSONField(_("changes"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("LAO change")
        verbose_name_plural = _("LAO changes")
        indexes = [models.Index(fields=["lao", "-changed_at"], name="laochange_lao_time")]

    def __str__(self):
        return f"{self.lao} @ {self.changed_at:%Y-%m-%d %H:%M}"


class UploadStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Checking")
    VALID = "valid", _("Checked: ready to commit")
    INVALID = "invalid", _("Has errors")
    COMMITTING = "committing", _("Saving")
    COMMITTED = "committed", _("Saved")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class UploadJob(models.Model):
    """A spreadsheet uploaded to change many LAOs at once, checked (dry run) then committed.

    `kind` names the registered upload type (e.g. "units.registry"); every app's upload reuses
    this record, the task that processes it and its pages.
    """

    kind = models.CharField(_("kind"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="uploads",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to="uploads/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 5, "column": "ประชากร", "message": "..."}], capped; error_count has the full count.
    errors = models.JSONField(_("error list"), default=list, blank=True)
    # What the dry run found: counts and a preview of the changes, shaped by the upload type.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # When a worker took the queued check or commit (null while it waits in the queue), and the
    # last sign of life: queued, taken, or progress written. The job page tells a job nobody
    # picked up from one that stopped by these two (units/uploads/liveness.py).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    progress_at = models.DateTimeField(_("last progress at"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [models.Index(fields=["user", "-created_at"], name="uploadjob_user_time")]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background worker process (`units_run_worker`).

    In the database, not the cache: the cache is per process, and the web server must see the
    worker's beats. One row per worker process; old rows are pruned when a worker starts.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class Attempt(models.Model):
    """One attempt of a rate-limited action (a post, a question, a report) under one key (an
    account or a client address): counted by `units.limits.attempt_allowed` across every worker."""

    action = models.CharField(_("action"), max_length=64)
    key = models.CharField(_("key"), max_length=128)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("rate-limited attempt")
        verbose_name_plural = _("rate-limited attempts")
        indexes = [
            models.Index(fields=["action", "key", "created_at"], name="attempt_action_key_at"),
            models.Index(fields=["created_at"], name="attempt_created_at"),
        ]

    def __str__(self):
        return f"{self.action} {self.key}"


class Stamp(models.Model):
    """A counter per named piece of public data ("benchmarks", "forums:thread:12"), moved in the
    same transaction as every write to it (`units.stamps.bump`). Pages cached for anonymous
    visitors are keyed by the counters of what they show (`units.pagecache`), so a change is
    seen by the next visitor and nothing has to be deleted from the cache."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("data stamp")
        verbose_name_plural = _("data stamps")

    def __str__(self):
        return f"{self.name} {self.value}"
