from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_open_projects_index"),
        # pg_trgm is created there (TrigramExtension).
        ("units", "0002_registry_search_history_uploads"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=GinIndex(fields=["name"], name="project_name_trgm", opclasses=["gin_trgm_ops"]),
        ),
        migrations.AddIndex(
            model_name="project",
            index=GinIndex(fields=["code"], name="project_code_trgm", opclasses=["gin_trgm_ops"]),
        ),
    ]
