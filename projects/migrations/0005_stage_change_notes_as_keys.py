"""System notes of the stage history stored as keys (units/notes.py), worded when shown."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

# "Project created" was stored in the language of whoever created the project.
CREATED = ["Project created", "สร้างโครงการ"]


def to_keys(apps, schema_editor):
    StageChange = apps.get_model("projects", "StageChange")
    StageChange.objects.filter(from_stage="", note__in=CREATED).update(note="@project-created")
    StageChange.objects.filter(note__regex=r"^upload #[0-9]+$").update(
        note=Concat(Value("@upload:"), Substr("note", 9))
    )


def to_text(apps, schema_editor):
    StageChange = apps.get_model("projects", "StageChange")
    StageChange.objects.filter(note="@project-created").update(note="Project created")
    StageChange.objects.filter(note__regex=r"^@upload:[0-9]+$").update(
        note=Concat(Value("upload #"), Substr("note", 9))
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_report_narrative")]

    operations = [migrations.RunPython(to_keys, to_text)]
