from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from partnerships.contact import urls as contact_urls
from partnerships.intranet.urls import staff_urlpatterns
from portal import page_routing, views
from portal.api import api_router
from portal.edit_conflicts import PageEditView
from portal.signin import urls as signin_urls
from portal.signin import views as signin_views
from portal.sitemap import PublicSitemap

auth_patterns = (
    [
        *signin_urls.urlpatterns,
        path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
        path(
            "password-reset/",
            signin_views.PasswordResetView.as_view(
                template_name="portal/auth/password_reset.html",
                email_template_name="portal/auth/password_reset_email.txt",
                subject_template_name="portal/auth/password_reset_subject.txt",
                success_url="/password-reset/sent/",
                extra_email_context={"service_name": settings.WAGTAIL_SITE_NAME},
            ),
            name="password_reset",
        ),
        path(
            "password-reset/sent/",
            auth_views.PasswordResetDoneView.as_view(template_name="portal/auth/password_reset_sent.html"),
            name="password_reset_done",
        ),
        path(
            "password-reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(
                template_name="portal/auth/password_reset_confirm.html",
                success_url="/password-reset/complete/",
            ),
            name="password_reset_confirm",
        ),
        path(
            "password-reset/complete/",
            auth_views.PasswordResetCompleteView.as_view(template_name="portal/auth/password_reset_complete.html"),
            name="password_reset_complete",
        ),
    ],
    "portal",
)

urlpatterns = [
    # Wagtail's page edit view, refusing a Save or Publish from a form older than the latest
    # revision (portal/edit_conflicts.py). Same path and name, listed first, so it answers.
    path("admin/pages/<int:page_id>/edit/", never_cache(require_admin_access(PageEditView.as_view()))),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("cookies/", views.cookies, name="cookies"),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": PublicSitemap}}, name="sitemap"),
    path("api/v2/", api_router.urls),
    path("intranet/register/", include(staff_urlpatterns)),
    path("intranet/decision-tree/", include("partnerships.screening.urls")),
    # /partnerships/register.csv and .json: Wagtail's catch-all serves no path with a dot.
    path("", include("partnerships.public.urls")),
    path("", include(contact_urls)),
    path("", include(auth_patterns)),
]

# Under /media/ only image renditions are public, in every environment: documents (internal
# ones among them) go through /documents/, which checks privacy, and nothing else is served.
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}images/(?P<path>.+)$", views.public_media, name="public_media")
]

# Wagtail's page view, with the site and route of public pages remembered per process.
# Wagtail's own helpers (page passwords, its sign-in) keep their addresses, ahead of the page view.
urlpatterns += [
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, page_routing.serve, name="wagtail_serve"),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
