"""Imports of the public reference data (the folder of settings.PORTAL_DATA_DIR).

- geography: provinces, districts and subdistricts with their Interior (DOPA) codes, Thai and
  English names, postcodes, points, and simplified province/district boundaries (OCHA);
- registry: the DLA list of LAOs (open data `dlads_05_01`), plus Bangkok, which the DLA list does
  not include.

Both upsert by code, so a newer file can be taken in later. The registry import records what it
changed in `LAOChange` (source "import"); an LAO whose code disappeared while a new code appeared
with the same name in the same district (an SAO upgraded to a municipality) keeps its record and
history under its new code and kind; an LAO no longer listed is deactivated, never deleted.
"""

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from units import stamps
from units.models import (
    LAO,
    ChangeSource,
    District,
    LAOChange,
    LAOKind,
    Province,
    Region,
    Subdistrict,
)
from units.notes import system_note

REGIONS = {
    "Central": Region.CENTRAL,
    "North": Region.NORTH,
    "Northeast": Region.NORTHEAST,
    "East": Region.EAST,
    "West": Region.WEST,
    "South": Region.SOUTH,
}
KINDS = {
    "PAO": LAOKind.PAO,
    "CITY_MUNI": LAOKind.CITY_MUNICIPALITY,
    "TOWN_MUNI": LAOKind.TOWN_MUNICIPALITY,
    "SUBDISTRICT_MUNI": LAOKind.SUBDISTRICT_MUNICIPALITY,
    "SAO": LAOKind.SAO,
    "SPECIAL": LAOKind.PATTAYA,
}
# English names are composed from the official English place name and the kind.
KIND_ENGLISH = {
    LAOKind.PAO: "{} Provincial Administrative Organization",
    LAOKind.CITY_MUNICIPALITY: "{} City Municipality",
    LAOKind.TOWN_MUNICIPALITY: "{} Town Municipality",
    LAOKind.SUBDISTRICT_MUNICIPALITY: "{} Subdistrict Municipality",
    LAOKind.SAO: "{} Subdistrict Administrative Organization",
}
BANGKOK_PROVINCE_CODE = "10"
# Fields the DLA list owns; everything else (contacts, population, ...) is kept on re-import.
REGISTRY_FIELDS = [
    "kind",
    "name_th",
    "full_name_th",
    "name_en",
    "province_id",
    "district_id",
    "subdistrict_id",
    "latitude",
    "longitude",
    "area_km2",
    "is_active",
]


def data_dir(path: str | Path | None = None) -> Path:
    folder = Path(path or settings.PORTAL_DATA_DIR)
    if not (folder / "geo" / "provinces.csv").is_file():
        raise FileNotFoundError(
            f"No reference data in {folder} (expected geo/provinces.csv); "
            "set PORTAL_DATA_DIR to the data folder."
        )
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _decimal(value: str, places: int) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal(1).scaleb(-places)) if value else None
    except InvalidOperation:
        return None


def _boundaries(path: Path, code_key: str) -> dict[str, dict]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {feature["properties"][code_key]: feature["geometry"] for feature in features}


@dataclass
class GeographySummary:
    provinces: int = 0
    districts: int = 0
    subdistricts: int = 0


@transaction.atomic
def geography_import(
    *, folder: str | Path | None = None, provinces: set[str] | None = None
) -> GeographySummary:
    """Upsert provinces (all 77, with boundaries), and the districts and subdistricts of
    `provinces` (province codes; all when None). Returns the counts written."""
    root = data_dir(folder)
    geo = root / "geo"
    province_shapes = _boundaries(geo / "th_provinces_simplified.geojson", "province_code")
    district_shapes = _boundaries(geo / "th_districts_simplified.geojson", "district_code")

    Province.objects.bulk_create(
        [
            Province(
                code=row["province_code"],
                name_th=row["name_th"],
                name_en=row["name_en"],
                region=REGIONS.get(row["region_en"], ""),
                boundary=province_shapes.get(row["province_code"]),
            )
            for row in _rows(geo / "provinces.csv")
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "region", "boundary"],
    )
    province_ids = dict(Province.objects.values_list("code", "pk"))

    def wanted(row):
        return provinces is None or row["province_code"] in provinces

    district_rows = [row for row in _rows(geo / "districts.csv") if wanted(row)]
    District.objects.bulk_create(
        [
            District(
                code=row["district_code"],
                province_id=province_ids[row["province_code"]],
                name_th=row["name_th"],
                name_en=row["name_en"],
                boundary=district_shapes.get(row["district_code"]),
            )
            for row in district_rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name_th", "name_en", "boundary"],
    )
    district_ids = dict(District.objects.values_list("code", "pk"))

    subdistrict_rows = [row for row in _rows(geo / "subdistricts.csv") if wanted(row)]
    Subdistrict.objects.bulk_create(
        [
            Subdistrict(
                code=row["subdistrict_code"],
                district_id=district_ids[row["district_code"]],
                name_th=row["name_th"],
                name_en=row["name_en"],
                postcode=row["postcode"],
                latitude=_decimal(row["lat"], 6),
                longitude=_decimal(row["lon"], 6),
            )
            for row in subdistrict_rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["district", "name_th", "name_en", "postcode", "latitude", "longitude"],
        batch_size=2000,
    )
    stamps.bump(stamps.UNITS)
    return GeographySummary(len(province_ids), len(district_rows), len(subdistrict_rows))


@dataclass
class RegistrySummary:
    created: int = 0
    updated: int = 0
    upgraded: int = 0
    deactivated: int = 0
    unchanged: int = 0
    unnamed_in_english: list[str] = field(default_factory=list)


def _shown(value) -> str:
    return "" if value is None else str(value)


class _Geography:
    """Lookups of the imported geography by code and by Thai name, loaded once."""

    def __init__(self):
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.districts = {d.code: d for d in District.objects.all()}
        self.subdistricts = {
            s.code: s for s in Subdistrict.objects.select_related("district").all()
        }
        self.subdistrict_by_name: dict[tuple[str, str], Subdistrict] = {}
        for sub in self.subdistricts.values():
            self.subdistrict_by_name.setdefault((sub.district.province_id, sub.name_th), sub)

    def english_place(self, name_th, province, district, subdistrict) -> str:
        """The official English name of the place an LAO is named after, or ""."""
        if subdistrict and subdistrict.name_th == name_th:
            return subdistrict.name_en
        if district and district.name_th.removeprefix("เมือง") == name_th:
            return district.name_en.removeprefix("Mueang ")
        if district and district.name_th == name_th:
            return district.name_en
        if province.name_th == name_th:
            return province.name_en
        same_name = self.subdistrict_by_name.get((province.pk, name_th))
        return same_name.name_en if same_name else ""


def _registry_rows(root: Path, provinces: set[str] | None, geo: _Geography) -> dict[str, dict]:
    """The DLA list as field values by DLA code (plus Bangkok under the key "")."""
    wanted_rows = {}
    for row in _rows(root / "lao" / "laos_dla.csv"):
        if provinces is not None and row["province_code"] not in provinces:
            continue
        province = geo.provinces[row["province_code"]]
        district = geo.districts.get(row["district_code"])
        subdistrict = geo.subdistricts.get(row["subdistrict_code_by_name"])
        kind = KINDS[row["type"]]
        if kind == LAOKind.PATTAYA:
            name_en = "Pattaya City"
        else:
            place = geo.english_place(row["name_th"], province, district, subdistrict)
            name_en = KIND_ENGLISH[kind].format(place) if place else ""
        wanted_rows[row["dla_code"]] = {
            "kind": kind,
            "name_th": row["name_th"],
            "full_name_th": row["full_name_th"],
            "name_en": name_en,
            "province_id": province.pk,
            "district_id": district.pk if district else None,
            "subdistrict_id": subdistrict.pk if subdistrict else None,
            "latitude": _decimal(row["lat"], 6),
            "longitude": _decimal(row["lon"], 6),
            "area_km2": _decimal(row["area_km2"], 2),
            "is_active": True,
        }
    if BANGKOK_PROVINCE_CODE in geo.provinces and (
        provinces is None or BANGKOK_PROVINCE_CODE in provinces
    ):
        wanted_rows[""] = {
            "kind": LAOKind.BANGKOK,
            "name_th": "กรุงเทพมหานคร",
            "full_name_th": "กรุงเทพมหานคร",
            "name_en": "Bangkok Metropolitan Administration",
            "province_id": geo.provinces[BANGKOK_PROVINCE_CODE].pk,
            "district_id": None,
            "subdistrict_id": None,
            "latitude": None,
            "longitude": None,
            "area_km2": None,
            "is_active": True,
        }
    return wanted_rows


@transaction.atomic
def registry_import(
    *, folder: str | Path | None = None, provinces: set[str] | None = None, user=None
) -> RegistrySummary:
    """Upsert the DLA registry (of `provinces`, or all) and Bangkok; returns what changed.

    Values the source lacks (blank points or areas) never erase values already stored.
    """
    root = data_dir(folder)
    geo = _Geography()
    incoming = _registry_rows(root, provinces, geo)
    summary = RegistrySummary(
        unnamed_in_english=[code for code, row in incoming.items() if not row["name_en"]]
    )
    existing = LAO.objects.all()
    if provinces is not None:
        existing = existing.filter(province__code__in=provinces)
    by_code = {lao.dla_code or "": lao for lao in existing}

    # An LAO that vanished under its old code and reappears under a new one in the same district
    # with the same name was upgraded (e.g. SAO → subdistrict municipality): same record.
    vanished = {
        (lao.district_id, lao.name_th): lao
        for code, lao in by_code.items()
        if code and code not in incoming and lao.is_active
    }
    changes, to_update, to_create = [], [], []
    for code, values in incoming.items():
        lao = by_code.get(code)
        note = ""
        if lao is None and code:
            lao = vanished.pop((values["district_id"], values["name_th"]), None)
            if lao is not None:
                note = system_note("dla-code", lao.dla_code, code)
                by_code.pop(lao.dla_code, None)
        if lao is None:
            to_create.append(LAO(dla_code=code or None, **values))
            continue
        diff = {}
        for name, new in values.items():
            old = getattr(lao, name)
            if new is None and name in {"latitude", "longitude", "area_km2"}:
                continue
            if old != new:
                diff[name.removesuffix("_id")] = [_shown(old), _shown(new)]
                setattr(lao, name, new)
        if code and lao.dla_code != code:
            diff["dla_code"] = [_shown(lao.dla_code), code]
            lao.dla_code = code
            summary.upgraded += 1
        if diff:
            to_update.append(lao)
            changes.append(
                LAOChange(lao=lao, user=user, source=ChangeSource.IMPORT, changes=diff, note=note)
            )
            summary.updated += 1
        else:
            summary.unchanged += 1

    for code, lao in by_code.items():
        if code and code not in incoming and lao.is_active and lao not in to_update:
            lao.is_active = False
            to_update.append(lao)
            changes.append(
                LAOChange(
                    lao=lao,
                    user=user,
                    source=ChangeSource.IMPORT,
                    changes={"is_active": ["True", "False"]},
                    note=system_note("registry-removed"),
                )
            )
            summary.deactivated += 1

    if to_update:
        now = timezone.now()  # bulk_update leaves auto_now fields alone
        for lao in to_update:
            lao.updated_at = now
        LAO.objects.bulk_update(
            to_update, [*REGISTRY_FIELDS, "dla_code", "updated_at"], batch_size=1000
        )
    created = LAO.objects.bulk_create(to_create, batch_size=2000)
    summary.created = len(created)
    changes += [
        LAOChange(
            lao=lao,
            user=user,
            source=ChangeSource.IMPORT,
            changes={},
            note=system_note("registry-created"),
        )
        for lao in created
    ]
    LAOChange.objects.bulk_create(changes, batch_size=2000)
    stamps.bump(stamps.UNITS)
    return summary
