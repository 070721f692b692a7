from django.db import migrations, models

# Every version made so far holds all its years itself: each year it has scores of maps to it.
FILL = """
    UPDATE benchmarks_compositeversion v
    SET year_sources = COALESCE(
        (SELECT jsonb_object_agg(held.fiscal_year::text, v.id)
         FROM (SELECT DISTINCT s.fiscal_year FROM benchmarks_compositescore s
               WHERE s.version_id = v.id) held),
        '{}'::jsonb
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarks", "0003_question_hidden"),
    ]

    operations = [
        migrations.AddField(
            model_name="compositeversion",
            name="year_sources",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="scores of each year held by"
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
