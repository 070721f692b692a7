"""Imports of the reference data: a small folder written here, and the real folder once."""

import csv
import json
from collections import Counter

import pytest

from units.demo import lao_fill_demo_values
from units.importers import geography_import, registry_import
from units.models import LAO, ChangeSource, District, LAOKind, Province, Subdistrict

pytestmark = pytest.mark.django_db

LAO_COLUMNS = [
    "dla_code", "type", "dla_code_type_digit", "type_th", "type_en", "name_th", "full_name_th",
    "province_code", "province_name_th", "district_code", "district_name_th", "lat", "lon",
    "area_km2", "subdistrict_code_by_name",
]  # fmt: skip


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def square(x, y):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y]]]}


def lao_row(code, kind, name, full_name, district="1103", lat="", lon="", area="", sub=""):
    digit = code[0]
    return [code, kind, digit, "", "", name, full_name, "11", "สมุทรปราการ", district,
            "บางพลี", lat, lon, area, sub]  # fmt: skip


@pytest.fixture
def folder(tmp_path):
    geo = tmp_path / "geo"
    write_csv(
        geo / "provinces.csv",
        [
            "province_code",
            "name_th",
            "name_en",
            "region_id",
            "region_th",
            "region_en",
            "district_count",
            "subdistrict_count",
        ],
        [
            ["10", "กรุงเทพมหานคร", "Bangkok", "2", "ภาคกลาง", "Central", "1", "0"],
            ["11", "สมุทรปราการ", "Samut Prakan", "2", "ภาคกลาง", "Central", "1", "2"],
        ],
    )
    write_csv(
        geo / "districts.csv",
        ["district_code", "province_code", "name_th", "name_en", "kind"],
        [["1103", "11", "บางพลี", "Bang Phli", "amphoe"]],
    )
    write_csv(
        geo / "subdistricts.csv",
        [
            "subdistrict_code",
            "district_code",
            "province_code",
            "name_th",
            "name_en",
            "postcode",
            "lat",
            "lon",
            "kind",
            "latlon_source",
        ],
        [
            [
                "110301",
                "1103",
                "11",
                "บางพลีใหญ่",
                "Bang Phli Yai",
                "10540",
                "13.6",
                "100.7",
                "tambon",
                "",
            ],
            ["110302", "1103", "11", "บางแก้ว", "Bang Kaeo", "10540", "", "", "tambon", ""],
        ],
    )
    (geo / "th_provinces_simplified.geojson").write_text(
        json.dumps(
            {
                "features": [
                    {"properties": {"province_code": "10"}, "geometry": square(100, 13)},
                    {"properties": {"province_code": "11"}, "geometry": square(100, 13.5)},
                ]
            }
        )
    )
    (geo / "th_districts_simplified.geojson").write_text(
        json.dumps(
            {
                "features": [
                    {"properties": {"district_code": "1103"}, "geometry": square(100.5, 13.5)},
                ]
            }
        )
    )
    write_csv(
        tmp_path / "lao" / "laos_dla.csv",
        LAO_COLUMNS,
        [
            lao_row(
                "2110101",
                "PAO",
                "สมุทรปราการ",
                "องค์การบริหารส่วนจังหวัดสมุทรปราการ",
                district="",
                lat="13.59",
                lon="100.59",
                area="1004",
            ),
            lao_row("6110305", "SAO", "บางพลีใหญ่", "องค์การบริหารส่วนตำบลบางพลีใหญ่", sub="110301"),
            lao_row("6110399", "SAO", "บางแก้ว", "องค์การบริหารส่วนตำบลบางแก้ว", sub="110302"),
            lao_row("5110301", "SUBDISTRICT_MUNI", "บางพลี", "เทศบาลตำบลบางพลี"),
        ],
    )
    return tmp_path


def test_geography_import_upserts_codes_names_points_and_boundaries(folder):
    summary = geography_import(folder=folder)
    assert (summary.provinces, summary.districts, summary.subdistricts) == (2, 1, 2)
    province = Province.objects.get(code="11")
    assert (province.name_en, province.region) == ("Samut Prakan", "central")
    assert province.boundary["type"] == "Polygon"
    assert District.objects.get(code="1103").boundary is not None
    sub = Subdistrict.objects.get(code="110301")
    assert (sub.postcode, float(sub.latitude)) == ("10540", 13.6)
    assert Subdistrict.objects.get(code="110302").latitude is None
    geography_import(folder=folder)
    assert Subdistrict.objects.count() == 2


def test_registry_import_creates_laos_with_composed_english_names_and_bangkok(folder):
    geography_import(folder=folder)
    summary = registry_import(folder=folder)
    assert summary.created == 5
    sao = LAO.objects.get(dla_code="6110305")
    assert sao.kind == LAOKind.SAO
    assert sao.name_en == "Bang Phli Yai Subdistrict Administrative Organization"
    assert sao.subdistrict.code == "110301" and sao.district.code == "1103"
    assert LAO.objects.get(dla_code="5110301").name_en == "Bang Phli Subdistrict Municipality"
    pao = LAO.objects.get(dla_code="2110101")
    assert pao.district is None and pao.name_en.startswith("Samut Prakan Provincial")
    assert pao.area_km2 == 1004
    bangkok = LAO.objects.get(kind=LAOKind.BANGKOK)
    assert bangkok.dla_code is None and bangkok.url_code == "bangkok"
    assert sao.changes.get().source == ChangeSource.IMPORT
    # Stored as a key, worded in the reader's language when shown (units/notes.py).
    assert sao.changes.get().note == "@registry-created"


def test_reimport_records_changes_keeps_upgraded_laos_and_deactivates_the_missing(folder):
    geography_import(folder=folder)
    registry_import(folder=folder)
    sao = LAO.objects.get(dla_code="6110305")
    sao.phone = "0 2123 4567"  # entered on the portal: the import must keep it
    sao.save()
    upgraded_pk = LAO.objects.get(dla_code="6110399").pk

    # The newer list: 6110305 renamed, 6110399 upgraded to 5110302, 5110301 gone.
    write_csv(
        folder / "lao" / "laos_dla.csv",
        LAO_COLUMNS,
        [
            lao_row(
                "2110101",
                "PAO",
                "สมุทรปราการ",
                "องค์การบริหารส่วนจังหวัดสมุทรปราการ",
                district="",
                area="1004",
            ),
            lao_row("6110305", "SAO", "บางพลีใหญ่", "อบต.บางพลีใหญ่ (ใหม่)", sub="110301"),
            lao_row("5110302", "SUBDISTRICT_MUNI", "บางแก้ว", "เทศบาลตำบลบางแก้ว", sub="110302"),
        ],
    )
    summary = registry_import(folder=folder)
    assert (summary.created, summary.upgraded, summary.deactivated) == (0, 1, 1)

    sao.refresh_from_db()
    assert sao.full_name_th == "อบต.บางพลีใหญ่ (ใหม่)" and sao.phone == "0 2123 4567"
    assert sao.changes.first().changes == {
        "full_name_th": ["องค์การบริหารส่วนตำบลบางพลีใหญ่", "อบต.บางพลีใหญ่ (ใหม่)"]
    }
    upgraded = LAO.objects.get(dla_code="5110302")
    assert upgraded.pk == upgraded_pk
    assert upgraded.kind == LAOKind.SUBDISTRICT_MUNICIPALITY
    change = upgraded.changes.first()
    assert change.changes["dla_code"] == ["6110399", "5110302"]
    assert change.changes["kind"] == ["sao", "subdistrict"]
    assert upgraded.changes.count() == 2  # created, then upgraded: one history
    assert change.note == "@dla-code:6110399:5110302"
    assert sao.changes.first().note == ""  # the source already says "DLA registry import"
    gone = LAO.objects.get(dla_code="5110301")
    assert not gone.is_active
    assert gone.changes.first().note == "@registry-removed"
    # The PAO's point is blank in the newer list: the stored one is kept.
    assert LAO.objects.get(dla_code="2110101").latitude is not None


def test_demo_values_fill_only_what_is_missing_and_are_marked(folder):
    geography_import(folder=folder)
    registry_import(folder=folder)
    LAO.objects.filter(dla_code="6110305").update(population=12345)
    assert lao_fill_demo_values() == 4
    sao = LAO.objects.get(dla_code="6110305")
    assert sao.population == 12345 and not sao.is_demo("population")
    other = LAO.objects.get(dla_code="6110399")
    assert other.is_demo("population") and other.population > 0
    assert other.households < other.population
    assert other.email.endswith(".invalid") and other.is_demo("email")
    first = (other.population, other.chief_executive)
    assert lao_fill_demo_values() == 0
    other.refresh_from_db()
    assert (other.population, other.chief_executive) == first


@pytest.mark.slow
def test_the_whole_reference_folder_imports_with_the_published_counts():
    geography_import()
    registry_import()
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    assert Province.objects.filter(boundary__isnull=True).count() == 0
    kinds = Counter(LAO.objects.values_list("kind", flat=True))
    assert kinds == {
        LAOKind.PAO: 76,
        LAOKind.CITY_MUNICIPALITY: 30,
        LAOKind.TOWN_MUNICIPALITY: 195,
        LAOKind.SUBDISTRICT_MUNICIPALITY: 2247,
        LAOKind.SAO: 5300,
        LAOKind.PATTAYA: 1,
        LAOKind.BANGKOK: 1,
    }
    assert sum(kinds.values()) == 7850
