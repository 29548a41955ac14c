from django.db import migrations


def load(apps, schema_editor):
    from places.london import load_london

    load_london(apps)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
