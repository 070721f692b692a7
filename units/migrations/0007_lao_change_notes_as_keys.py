"""System notes of the LAO change history stored as keys (units/notes.py), worded when shown."""

import re

from django.db import migrations

PLAIN = {
    "DLA registry import": "",
    "created from the DLA registry": "@registry-created",
    "no longer in the DLA registry": "@registry-removed",
    "admin import": "@admin-import",
}
UPLOAD = re.compile(r"^upload #(\d+)$")
DLA_CODE = re.compile(r"^DLA code (\S*) → (\S+)$")


def to_keys(apps, schema_editor):
    LAOChange = apps.get_model("units", "LAOChange")
    for old, new in PLAIN.items():
        LAOChange.objects.filter(note=old).update(note=new)
    changed = []
    for change in LAOChange.objects.filter(note__regex=r"^(upload #|DLA code )").only("note"):
        if match := UPLOAD.match(change.note):
            change.note = f"@upload:{match[1]}"
        elif match := DLA_CODE.match(change.note):
            change.note = f"@dla-code:{match[1]}:{match[2]}"
        else:
            continue
        changed.append(change)
    LAOChange.objects.bulk_update(changed, ["note"], batch_size=1000)


def to_text(apps, schema_editor):
    LAOChange = apps.get_model("units", "LAOChange")
    for old, new in PLAIN.items():
        if new:
            LAOChange.objects.filter(note=new).update(note=old)
    changed = []
    for change in LAOChange.objects.filter(note__regex=r"^@(upload|dla-code):").only("note"):
        key, *values = change.note[1:].split(":")
        change.note = (
            f"upload #{values[0]}" if key == "upload" else "DLA code {} → {}".format(*values)
        )
        changed.append(change)
    LAOChange.objects.bulk_update(changed, ["note"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("units", "0006_upload_cancel_liveness_worker_heartbeat")]

    operations = [migrations.RunPython(to_keys, to_text)]
