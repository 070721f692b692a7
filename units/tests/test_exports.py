"""CSV and XLSX downloads of the LAO list: same filters and sort, all rows, no formulas."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from units import exports
from units.models import LAOKind
from units.services import lao_update
from units.tables import csv_safe
from units.tests.factories import DistrictFactory, LAOFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored downloads land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def content(response) -> bytes:
    """The body of a plain or a streamed (stored file) response."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def registry():
    province = ProvinceFactory(code="11", name_th="สมุทรปราการ")
    district = DistrictFactory(province=province, code="1103", name_th="บางพลี")
    sao = LAOFactory(
        kind=LAOKind.SAO,
        dla_code="6110305",
        name_th="บางพลีใหญ่",
        full_name_th="องค์การบริหารส่วนตำบลบางพลีใหญ่",
        name_en="Bang Phli Yai SAO",
        subdistrict__district=district,
        subdistrict__code="110301",
        phone='=HYPERLINK("http://evil.example","click")',
        chief_executive="+66 นายก",
        address="@SUM(1+1)",
        email="",
        website="https://www.bangpleeyai.go.th/",
        population=52_000,
        households=20_000,
        demo_fields=["population", "households", "phone"],
    )
    pao = LAOFactory(
        kind=LAOKind.PAO,
        dla_code="2110101",
        name_th="สมุทรปราการ",
        full_name_th="องค์การบริหารส่วนจังหวัดสมุทรปราการ",
        subdistrict=None,
        district=None,
        province=province,
        chief_executive="-นายกอบจ",
    )
    LAOFactory(
        dla_code="6500101",
        name_th="ดอนแก้ว",
        full_name_th="องค์การบริหารส่วนตำบลดอนแก้ว",
        subdistrict__district__province=ProvinceFactory(code="50"),
    )
    return {"sao": sao, "pao": pao}


def read_csv(response):
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_safe_prefixes_formula_triggers():
    for value in ["=1+1", "+66", "-5", "@SUM(A1)", "\tx", "\rx"]:
        assert csv_safe(value) == "'" + value
    assert csv_safe("บางพลี") == "บางพลี"
    assert csv_safe(-5) == -5
    assert csv_safe(None) is None


def test_csv_download(client, registry, django_assert_num_queries):
    # province filter choice, its stamp, then (first request only) the build under a lock:
    # savepoint, lock, rows, savepoint released
    with django_assert_num_queries(6):
        client.get(reverse("units:export-csv"), {"province": "11"})
    with django_assert_num_queries(2):  # province filter choice, its stamp: served from the file
        response = client.get(reverse("units:export-csv"), {"province": "11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="laos.csv"'
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 22
    assert [row[0] for row in body] == ["2110101", "6110305"]
    sao = dict(zip(header, body[1], strict=True))
    assert sao[header[3]] == "องค์การบริหารส่วนตำบลบางพลีใหญ่"
    assert sao[header[12]] == '\'=HYPERLINK("http://evil.example","click")'
    assert sao[header[15]] == "'+66 นายก"
    assert sao[header[11]] == "'@SUM(1+1)"
    assert sao[header[9]] == "110301"
    assert sao[header[16]] == "52000"
    demo = header[-1]
    assert "population" in sao[demo] or "ประชากร" in sao[demo]
    assert dict(zip(header, body[0], strict=True))[demo] == ""
    assert dict(zip(header, body[0], strict=True))[header[15]] == "'-นายกอบจ"


def test_a_province_download_is_read_as_values_without_model_instances(
    client, registry, monkeypatch
):
    """A province of a few hundred LAOs is built per request: building an LAO object (and its
    province, district and subdistrict) per row cost several times the query."""
    from units.models import LAO

    def no_instances(*args, **kwargs):
        raise AssertionError("the download built an LAO instance")

    monkeypatch.setattr(LAO, "from_db", no_instances)
    with translation.override("th"):
        header, pao, sao = read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))
    assert sao[1] == str(LAOKind.SAO.label)  # the kind's label, as `get_kind_display`
    assert pao[1] == str(LAOKind.PAO.label)
    assert (sao[5], sao[6], sao[7], sao[8]) == ("11", "สมุทรปราการ", "1103", "บางพลี")
    assert (pao[7], pao[8], pao[9], pao[10]) == ("", "", "", "")  # no district, no subdistrict
    with translation.override("th"):
        assert sao[-1] == ", ".join(
            str(LAO._meta.get_field(name).verbose_name)
            for name in ("population", "households", "phone")
        )


def test_csv_header_and_demo_column_in_english(client, registry):
    with translation.override("en"):
        response = client.get(
            reverse("units:export-csv"), {"q": "บางพลี"}, headers={"accept-language": "en"}
        )
    header, sao = read_csv(response)
    assert header[:3] == ["DLA code", "Kind", "Name (Thai)"]
    assert header[-1] == "Demo data (generated values, not real)"
    assert sao[-1] == "population, households, phone"


def test_export_has_every_matching_row_with_the_same_sort(client, django_assert_num_queries):
    province = ProvinceFactory(code="30")
    district = DistrictFactory(province=province, code="3001")
    for number in range(120):
        LAOFactory(
            dla_code=f"6300{number:03d}",
            subdistrict=None,
            district=district,
            province=province,
            population=1000 + number,
        )
    # The whole registry: its stamp, then (first request only) the build under a lock.
    with django_assert_num_queries(5):  # stamp, savepoint, lock, rows, savepoint released
        response = client.get(reverse("units:export-csv"), {"sort": "-population"})
    body = read_csv(response)[1:]
    assert len(body) == 120
    assert body[0][0] == "6300119"
    assert body[-1][0] == "6300000"


def test_export_follows_the_name_search(client, registry):
    body = read_csv(client.get(reverse("units:export-csv"), {"q": "อบต.บางพลี"}))[1:]
    assert [row[0] for row in body] == ["6110305"]


def test_xlsx_download(client, registry, django_assert_num_queries):
    client.get(reverse("units:export-xlsx"), {"province": "11", "sort": "code"})  # stores it
    with django_assert_num_queries(2):
        response = client.get(reverse("units:export-xlsx"), {"province": "11", "sort": "code"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="laos.xlsx"'
    sheet = load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert len(header) == 22
    assert [row[0].value for row in rows[1:]] == ["2110101", "6110305"]
    sao = {title: cell for title, cell in zip(header, rows[2], strict=True)}
    # Codes are text cells (leading zeros and 7 digits kept as typed).
    assert sao[header[0]].data_type == "s"
    assert sao[header[9]].value == "110301"
    # User text that looks like a formula stays text: no formula cell anywhere.
    assert sao[header[12]].value == '=HYPERLINK("http://evil.example","click")'
    assert sao[header[12]].data_type == "s"
    assert all(cell.data_type != "f" for row in rows for cell in row)
    # Numbers stay numbers.
    assert sao[header[16]].value == 52000
    assert sao[header[16]].data_type == "n"
    assert sao[header[-1]].value


def test_xlsx_download_of_an_empty_selection(client, registry):
    response = client.get(reverse("units:export-xlsx"), {"q": "ไม่มีชื่อนี้"})
    sheet = load_workbook(io.BytesIO(content(response))).active
    assert sheet.max_row == 1


# --- the whole registry: stored once per change of its data ---------------------------------


@pytest.fixture
def builds(monkeypatch):
    """Counts the tables built (a stored download builds one; serving it builds none)."""
    calls = []
    real = exports.lao_table

    def counting(laos):
        calls.append(1)
        return real(laos)

    monkeypatch.setattr(exports, "lao_table", counting)
    return calls


def stored_files(media_root):
    folder = media_root / "exports" / "laos"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("name", ["units:export-csv", "units:export-xlsx"])
def test_national_export_is_built_once_then_served_from_the_stored_file(
    client, registry, builds, media_root, django_assert_num_queries, name
):
    first = client.get(reverse(name))
    first_body = content(first)
    with django_assert_num_queries(1):  # the stamp of the registry: no row is read
        second = client.get(reverse(name), {"junk": "1", "page": "3"})
        second_body = content(second)
    assert len(builds) == 1
    assert first_body == second_body
    suffix = name.rsplit("-", 1)[1]
    assert second["Content-Type"] == exports.CONTENT_TYPES[suffix]
    assert second["Content-Disposition"] == f'attachment; filename="laos.{suffix}"'
    assert second["X-Content-Type-Options"] == "nosniff"
    files = stored_files(media_root)
    assert len(files) == 1 and files[0].startswith("th-all-province-")
    assert not [
        path for path in (media_root / "exports" / "laos").iterdir() if ".part" in path.name
    ]


def test_a_change_of_an_lao_gives_a_new_file_with_the_change(client, registry, builds, media_root):
    before = read_csv(client.get(reverse("units:export-csv")))
    assert "'+66 นายก" in before[2]
    old_files = stored_files(media_root)
    officer = UserFactory(role="officer", lao=registry["sao"])
    lao_update(lao=registry["sao"], user=officer, data={"chief_executive": "=นายกคนใหม่"})

    after = read_csv(client.get(reverse("units:export-csv")))
    assert len(builds) == 2
    assert "'=นายกคนใหม่" in after[2]  # the change, still formula-safe
    new_files = stored_files(media_root)
    assert len(new_files) == 1 and new_files != old_files  # the stale file is gone


def test_the_csv_and_the_xlsx_of_the_same_data_are_both_kept(client, registry, builds, media_root):
    """Someone downloading the CSV after someone took the XLSX gets the stored file, not a
    rebuild (the XLSX of the whole registry takes seconds to build)."""
    for name in ("units:export-csv", "units:export-xlsx", "units:export-csv", "units:export-xlsx"):
        assert client.get(reverse(name)).status_code == 200
    assert len(builds) == 2
    assert [Path(name).suffix for name in stored_files(media_root)] == [".csv", ".xlsx"]


def test_a_deactivated_lao_leaves_the_stored_file(client, registry, builds):
    assert len(read_csv(client.get(reverse("units:export-csv")))) == 4
    registry["pao"].is_active = False
    registry["pao"].save()
    body = read_csv(client.get(reverse("units:export-csv")))[1:]
    assert [row[0] for row in body] == ["6110305", "6500101"]


def test_stored_xlsx_is_formula_safe(client, registry):
    response = client.get(reverse("units:export-xlsx"))
    sheet = load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for row in rows for cell in row)
    phones = [row[12] for row in rows[1:] if row[0].value == "6110305"]
    assert phones[0].value == '=HYPERLINK("http://evil.example","click")'
    assert phones[0].data_type == "s"


def test_each_language_kind_and_sort_is_its_own_stored_file(client, registry, media_root):
    client.get(reverse("units:export-csv"), {"kind": LAOKind.SAO, "sort": "code"})
    body = read_csv(client.get(reverse("units:export-csv"), {"kind": LAOKind.SAO}))[1:]
    assert [row[0] for row in body] == ["6110305", "6500101"]
    with translation.override("en"):
        header = read_csv(
            client.get(reverse("units:export-csv"), headers={"accept-language": "en"})
        )[0]
    assert header[0] == "DLA code"
    assert stored_files(media_root) == sorted(
        [
            *[name for name in stored_files(media_root) if name.startswith("en-all-province-")],
            *[name for name in stored_files(media_root) if name.startswith("th-sao-code-")],
            *[name for name in stored_files(media_root) if name.startswith("th-sao-province-")],
        ]
    )
    assert len(stored_files(media_root)) == 3


def province_files(media_root, code):
    folder = media_root / "exports" / "laos" / code
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_province_is_stored_once_per_change_in_its_own_folder(
    client, registry, builds, media_root
):
    """Built per request, a province's download cost more than serving the stored file of the
    whole registry: it is stored too, one file per province, kind, sort and language."""
    first = content(client.get(reverse("units:export-csv"), {"province": "11"}))
    second = content(client.get(reverse("units:export-csv"), {"province": "11", "junk": "1"}))
    assert first == second
    assert len(builds) == 1
    assert stored_files(media_root) == ["11"]  # the whole registry's own files are apart
    assert [name.rsplit("-", 1)[0] for name in province_files(media_root, "11")] == [
        "th-all-province"
    ]
    client.get(reverse("units:export-csv"), {"province": "11", "kind": LAOKind.SAO})
    client.get(reverse("units:export-csv"), {"province": "50"})
    assert len(builds) == 3
    assert len(province_files(media_root, "11")) == 2
    assert len(province_files(media_root, "50")) == 1


def test_a_change_in_the_province_gives_a_new_file(client, registry, builds, media_root):
    client.get(reverse("units:export-csv"), {"province": "11"})
    old_file = province_files(media_root, "11")
    officer = UserFactory(role="officer", lao=registry["sao"])
    lao_update(lao=registry["sao"], user=officer, data={"chief_executive": "=นายกคนใหม่"})

    body = read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))[1:]
    assert "'=นายกคนใหม่" in body[1]  # the change, still formula-safe
    assert province_files(media_root, "11") != old_file  # the stale file is gone
    assert len(province_files(media_root, "11")) == 1
    client.get(reverse("units:export-csv"), {"province": "11"})  # unchanged since: served
    assert len(builds) == 2


def test_a_renamed_district_shows_in_the_stored_files(client, registry, builds):
    """A rename of a district (or province) changes no LAO row, yet every file naming it."""
    with translation.override("th"):
        client.get(reverse("units:export-csv"))
        client.get(reverse("units:export-csv"), {"province": "11"})
        district = registry["sao"].district
        district.name_th = "บางพลีใหม่"
        district.save()  # as the admin does
        whole = read_csv(client.get(reverse("units:export-csv")))[1:]
        province = read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))[1:]
    assert "บางพลีใหม่" in [row[8] for row in whole]
    assert "บางพลีใหม่" in [row[8] for row in province]
    assert len(builds) == 4


def test_an_lao_moved_or_deactivated_leaves_the_province_file(client, registry, builds):
    other = ProvinceFactory(code="12")
    assert len(read_csv(client.get(reverse("units:export-csv"), {"province": "12"}))) == 1
    sao = registry["sao"]
    sao.province = other
    sao.district = None
    sao.subdistrict = None
    sao.save()
    moved_in = read_csv(client.get(reverse("units:export-csv"), {"province": "12"}))[1:]
    assert [row[0] for row in moved_in] == ["6110305"]
    left = read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))[1:]
    assert [row[0] for row in left] == ["2110101"]
    registry["pao"].is_active = False
    registry["pao"].save()
    assert read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))[1:] == []


def test_an_upload_of_the_province_gives_a_new_file(client, registry, builds):
    from units.services import lao_apply_upload

    client.get(reverse("units:export-csv"), {"province": "11"})
    sao = registry["sao"]
    lao_apply_upload(items=[(sao, {"phone": (sao.phone, "02-000-0000")})], user=None, note="")
    body = read_csv(client.get(reverse("units:export-csv"), {"province": "11"}))[1:]
    assert body[1][12] == "02-000-0000"
    assert len(builds) == 2


def test_a_district_or_a_search_within_a_province_is_built_per_request(
    client, registry, builds, media_root
):
    for _ in range(2):
        client.get(reverse("units:export-csv"), {"province": "11", "district": "1103"})
        client.get(reverse("units:export-csv"), {"province": "11", "q": "บางพลี"})
    assert len(builds) == 4
    assert stored_files(media_root) == []


def test_a_broad_national_search_is_refused(client, registry, monkeypatch, builds):
    monkeypatch.setattr(exports, "LAO_EXPORT_MAX_SEARCH_ROWS", 1)
    response = client.get(reverse("units:export-csv"), {"q": "องค์การ"})
    assert response.status_code == 400
    assert builds == []
    # A narrower search, or the same search within a province, is built.
    assert client.get(reverse("units:export-csv"), {"q": "บางพลี"}).status_code == 200
    within = client.get(reverse("units:export-csv"), {"q": "องค์การ", "province": "11"})
    assert len(read_csv(within)) == 3
    # The list says so instead of offering the download.
    html = client.get(reverse("units:index"), {"q": "องค์การ"}).content.decode()
    assert "export.csv?q=" not in html
    assert f'href="{reverse("units:export-csv")}" download' in html
