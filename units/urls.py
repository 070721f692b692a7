from django.urls import include, path

from units.views import directory, profile

app_name = "units"

# Fixed prefixes first: the profile routes at the end match any code.
urlpatterns = [
    # --- directory: list, search, exports, province pages, maps, links (units/views/directory.py)
    path("", directory.LAOListView.as_view(), name="index"),
    path("export.csv", directory.LAOExportView.as_view(file_format="csv"), name="export-csv"),
    path("export.xlsx", directory.LAOExportView.as_view(file_format="xlsx"), name="export-xlsx"),
    path("province/<str:code>/", directory.province_detail, name="province"),
    path("map/", directory.national_map, name="map"),
    path("map/provinces.geojson", directory.provinces_geojson, name="map-provinces"),
    path("links/", directory.LinkListView.as_view(), name="links"),
    # --- uploads (units/uploads/) ---
    path("uploads/", include("units.uploads.urls")),
    # --- profile, edit, history (units/views/profile.py) ---
    path("<str:code>/", profile.lao_detail, name="detail"),
    path("<str:code>/edit/", profile.lao_edit, name="edit"),
    path("<str:code>/history/", profile.lao_history, name="history"),
]
