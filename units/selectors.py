"""Page-level reads of the units app: keyword-only functions returning shaped data."""

import json

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from units.models import BANGKOK_URL_CODE, LAO, District, LAOKind, Province


def lao_counts_by_kind() -> list[dict]:
    """Active LAOs counted by kind, in the order of `LAOKind`: one aggregate query."""
    counts = dict(
        LAO.objects.filter(is_active=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("*"))
        .values_list("kind", "n")
    )
    return [
        {"kind": kind, "label": kind.label, "count": counts.get(kind.value, 0)} for kind in LAOKind
    ]


# --- directory: public list, exports, province pages, maps, links (units/views/directory.py) ---

# Columns of the public list: `.only()` keeps the provinces' and districts' boundary GeoJSON
# (hundreds of KB in all) out of a page that shows only their names.
DIRECTORY_LIST_FIELDS = (
    "dla_code",
    "kind",
    "name_th",
    "full_name_th",
    "name_en",
    "population",
    "demo_fields",
    "province__code",
    "province__name_th",
    "province__name_en",
    "district__code",
    "district__name_th",
    "district__name_en",
)
PROVINCES_GEOJSON_CACHE_KEY = "units:provinces-geojson:v1"
PROVINCES_GEOJSON_CACHE_SECONDS = 24 * 60 * 60


def lao_directory() -> QuerySet[LAO]:
    """Active LAOs in registry order (province, DLA code) with their province and district
    joined, only the list's columns (the download reads its own as values: units.exports)."""
    return (
        LAO.objects.active()
        .select_related("province", "district")
        .only(*DIRECTORY_LIST_FIELDS)
        .order_by("province__code", "dla_code")
    )


def lao_links() -> QuerySet[LAO]:
    """Active LAOs with an http(s) website, province joined, in registry order. Other schemes
    (`javascript:`) never reach a link."""
    return (
        LAO.objects.active()
        .filter(website__regex=r"^https?://")
        .select_related("province")
        .only(
            "dla_code",
            "kind",
            "name_th",
            "full_name_th",
            "name_en",
            "website",
            "demo_fields",
            "province__code",
            "province__name_th",
            "province__name_en",
        )
        .order_by("province__code", "dla_code")
    )


def province_by_code(*, code: str) -> Province:
    """The province with this 2-digit code, boundary included (Province.DoesNotExist if none)."""
    return Province.objects.get(code=code)


def province_lao_counts_by_kind(*, province: Province) -> list[dict]:
    """Active LAOs of a province counted by kind, kinds with none left out: one query."""
    counts = dict(
        LAO.objects.active()
        .in_province(province)
        .values_list("kind")
        .annotate(n=Count("*"))
        .values_list("kind", "n")
    )
    return [
        {"kind": kind, "label": kind.label, "count": counts[kind.value]}
        for kind in LAOKind
        if counts.get(kind.value)
    ]


def province_map_data(*, province: Province) -> dict:
    """What the province map draws: the province boundary, its districts' boundaries and the
    points of its located LAOs (two queries, plain values: no model instances). Cached for a
    minute: a large province has hundreds of points."""
    return cache.get_or_set(
        f"province-map:{province.code}", lambda: _province_map_data(province), 60
    )


def _province_map_data(province: Province) -> dict:
    list_url = reverse("units:index")
    districts = [
        {
            "type": "Feature",
            "geometry": row["boundary"],
            "properties": {
                "code": row["code"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "url": f"{list_url}?province={province.code}&district={row['code']}",
            },
        }
        for row in District.objects.filter(province=province, boundary__isnull=False)
        .order_by("code")
        .values("code", "name_th", "name_en", "boundary")
    ]
    points = [
        {
            "lat": float(row["latitude"]),
            "lon": float(row["longitude"]),
            "name": row["full_name_th"] or row["name_th"],
            "url": reverse("units:detail", args=[row["dla_code"] or BANGKOK_URL_CODE]),
        }
        for row in LAO.objects.active()
        .in_province(province)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("dla_code")
        .values("dla_code", "name_th", "full_name_th", "latitude", "longitude")
    ]
    province_feature = (
        {"type": "Feature", "geometry": province.boundary, "properties": {"code": province.code}}
        if province.boundary
        else None
    )
    return {"province": province_feature, "districts": districts, "points": points}


def provinces_with_lao_counts() -> QuerySet[Province]:
    """Every province with `lao_count` (active LAOs) annotated, boundary left out: one query."""
    return (
        Province.objects.only("code", "name_th", "name_en", "region")
        .annotate(lao_count=Count("laos", filter=Q(laos__is_active=True)))
        .order_by("code")
    )


def provinces_geojson_bytes() -> bytes:
    """The provinces' boundaries as a GeoJSON FeatureCollection (UTF-8 JSON bytes, ~42 KB),
    properties code, name_th, name_en and url. Built once a day per process from one query and
    kept in the cache; `provinces_geojson_clear()` drops it after boundaries are re-imported."""
    cached = cache.get(PROVINCES_GEOJSON_CACHE_KEY)
    if cached is not None:
        return cached
    features = [
        {
            "type": "Feature",
            "id": row["code"],
            "geometry": row["boundary"],
            "properties": {
                "code": row["code"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "url": reverse("units:province", args=[row["code"]]),
            },
        }
        for row in Province.objects.filter(boundary__isnull=False)
        .order_by("code")
        .values("code", "name_th", "name_en", "boundary")
    ]
    payload = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    cache.set(PROVINCES_GEOJSON_CACHE_KEY, payload, PROVINCES_GEOJSON_CACHE_SECONDS)
    return payload


def provinces_geojson_clear() -> None:
    """Forget the cached provinces GeoJSON (call after importing boundaries)."""
    cache.delete(PROVINCES_GEOJSON_CACHE_KEY)


# --- profile, edit, history (units/views/profile.py) ---


def lao_profile(*, code: str) -> QuerySet[LAO]:
    """The LAO with this URL code (DLA code, or `bangkok`) with province, district and
    subdistrict joined, boundaries included: the profile draws them on its map. One query."""
    return LAO.objects.with_geography().by_url_code(code)


def lao_change_history(*, lao: LAO) -> QuerySet:
    """The LAO's recorded changes, newest first, with who made them joined."""
    return lao.changes.select_related("user").order_by("-changed_at", "-id")
