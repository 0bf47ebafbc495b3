"""API tokens get an expiry, a scope and a revocation time; existing tokens keep writing and
expire THIDUA_API_TOKEN_DAYS (90 by default) after their creation. (The expiry becomes required
in 0005: a separate transaction, PostgreSQL refuses ALTER TABLE after updates in the same one.)"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models


def expire_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = int(getattr(settings, "THIDUA_API_TOKEN_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=token.created_at + dt.timedelta(days=days))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_auditentry_to_audit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Chỉ đọc"), ("write", "Đọc và ghi")], default="write",
                max_length=10),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
    ]
