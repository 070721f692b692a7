from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("LAO registry")

    def ready(self):
        from units.demo import register_seeder, seed_demo_users, seed_registry

        register_seeder("users", seed_demo_users, order=10)
        register_seeder("registry", seed_registry, order=20)
        # Uploads: the registry's own upload type (other apps register theirs the same way).
        from units.uploads.laos import registry_upload_type
        from units.uploads.registry import register_upload_type

        register_upload_type(registry_upload_type)
        # Every area's pages show LAO and province names: their edits move the registry's stamp.
        from units import stamps
        from units.models import LAO, District, Province, Subdistrict

        for model in (LAO, Province, District, Subdistrict):
            stamps.bump_on_change(model, registry_stamps)


def registry_stamps(instance):
    from units.stamps import UNITS

    return [UNITS]
