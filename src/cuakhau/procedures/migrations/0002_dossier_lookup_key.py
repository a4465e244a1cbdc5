"""Each dossier gets a random lookup key, printed on its receipt slip beside the code; the public
lookup needs both. Existing dossiers get one each here (a field default would give them all one)."""

from django.db import migrations, models

import cuakhau.procedures.models


def give_keys(apps, schema_editor):
    Dossier = apps.get_model("procedures", "Dossier")
    for dossier in Dossier.objects.filter(lookup_key="").only("pk").iterator(chunk_size=2000):
        Dossier.objects.filter(pk=dossier.pk).update(lookup_key=cuakhau.procedures.models.new_lookup_key())


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="lookup_key",
            field=models.CharField(default="", editable=False, max_length=16, verbose_name="mã tra cứu"),
            preserve_default=False,
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dossier",
            name="lookup_key",
            field=models.CharField(
                default=cuakhau.procedures.models.new_lookup_key,
                editable=False,
                max_length=16,
                verbose_name="mã tra cứu",
            ),
        ),
    ]
