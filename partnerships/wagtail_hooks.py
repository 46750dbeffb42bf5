"""Registration only: the register's admin lives in viewsets.py."""

from wagtail.contrib.settings.registry import register_setting
from wagtail.snippets.models import register_snippet

from .models import RegisterSettings
from .viewsets import PartnershipsViewSetGroup

register_snippet(PartnershipsViewSetGroup)
register_setting(RegisterSettings, icon="cog")
