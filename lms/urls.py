from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from oauth2_provider import urls as oauth2_urls
from oauth2_provider import views as oauth2_views

from courses import views as course_views
from lms import health
from lms.accounts import views as account_views


def healthz(_request):
    return HttpResponse("ok", content_type="text/plain")


# Dasi's OAuth provider serves one client it registers itself (manage.py hub_setup), so the
# library's application pages (any signed-in person could register a client and show other
# learners a consent screen for it) and dynamic client registration are not mounted. A
# person's own granted tokens stay, with an int pk (the library's <slug:pk> is a 500 on "x").
oauth2_patterns = [
    *oauth2_urls.metadata_urlpatterns,
    *oauth2_urls.base_urlpatterns,
    path(
        "authorized_tokens/",
        oauth2_views.AuthorizedTokensListView.as_view(),
        name="authorized-token-list",
    ),
    path(
        "authorized_tokens/<int:pk>/delete/",
        oauth2_views.AuthorizedTokenDeleteView.as_view(),
        name="authorized-token-delete",
    ),
    *oauth2_urls.oidc_urlpatterns,
]

urlpatterns = [
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", healthz),
    # Probes (lms/health.py); metrics are served on a port of their own (lms/monitoring.py).
    path("health/live/", health.LivenessView.as_view(), name="health_live"),
    path("health/ready/", health.ReadinessView.as_view(), name="health_ready"),
    # LTI endpoints: platforms call fixed addresses, outside the language prefixes.
    path("lti/", include("lms.lti.urls")),
    path("o/", include((oauth2_patterns, "oauth2_provider"), namespace="oauth2_provider")),
]

# Uncaught errors: a static page; 503 with Retry-After while the database or broker is down.
handler500 = "lms.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/join/", account_views.join_centre, name="join_centre"),
    path("accounts/", include("allauth.urls")),
    path("learning/", include("lms.learning.urls")),
    path("assessments/", include("assessments.urls")),
    path("certificates/", include("lms.certificates.urls")),
    path("skills/", include("lms.skills.urls")),
    path("sandboxes/", include("lms.sandboxes.urls")),
    path("privacy/", include("lms.privacy.urls")),
    path("notifications/", include("lms.notifications.urls")),
    path("", include("lms.counselling.urls")),
    path("search/", course_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
