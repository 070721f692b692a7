from django.urls import include, path
from django.views.generic import TemplateView

app_name = "units"

# Fixed prefixes first: the profile routes at the end match any code.
urlpatterns = [
    # --- directory: list, search, exports, province pages, maps, links (units/views/directory.py)
    path("", TemplateView.as_view(template_name="units/index.html"), name="index"),
    # --- uploads (units/uploads/) ---
    path("uploads/", include("units.uploads.urls")),
    # --- profile, edit, history (units/views/profile.py) ---
]
