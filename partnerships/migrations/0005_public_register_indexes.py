# Partial indexes for the public register: its page of entries, count, last update and service areas.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0004_proposal'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        ('wagtaildocs', '0014_alter_document_file_size'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(models.F('name'), models.F('id'), models.F('level'), models.F('basis'), models.F('geography'), models.F('council_role'), models.F('service_area'), condition=models.Q(('is_public', True), ('live', True), ('status__in', ('active', 'under_review', 'exiting'))), name='partnership_public_name_idx'),
        ),
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(condition=models.Q(('is_public', True), ('live', True), ('status__in', ('active', 'under_review', 'exiting'))), fields=['last_published_at'], name='partnership_public_updated_idx'),
        ),
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(condition=models.Q(('is_public', True), ('live', True), ('status__in', ('active', 'under_review', 'exiting'))), fields=['service_area'], name='partnership_public_area_idx'),
        ),
    ]
