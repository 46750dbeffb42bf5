from django.conf import settings


def site_chrome(request):
    """Names shown in every page's header and footer."""
    return {"SERVICE_NAME": settings.WAGTAIL_SITE_NAME, "COUNCIL_NAME": settings.COUNCIL_NAME}
