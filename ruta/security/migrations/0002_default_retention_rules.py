from django.db import migrations

# The default rules used to be written here. Each app now registers its retention policies from its
# plugin.py, and the missing rules are created after every migrate (ruta.security.retention), so a
# module added later gets its rule too. Kept empty so existing databases' history stays valid.


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations: list[migrations.operations.base.Operation] = []
