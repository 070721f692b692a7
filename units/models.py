"""Geography, the LAO registry and the portal's user (DESIGN.md §3)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
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

    class Meta:
        ordering = ["province__code", "dla_code"]
        verbose_name = _("LAO")
        verbose_name_plural = _("LAOs")
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
