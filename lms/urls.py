from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as course_views
from lms.accounts import views as account_views


def healthz(_request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", healthz),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]

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
    path("", include("lms.counselling.urls")),
    path("search/", course_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
