"""The platform's URLs with the skill pages added, as INTEGRATION.md asks lms/urls.py to do.

The last entry of lms.urls is its i18n_patterns block; we rebuild it with "skills/" first.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from lms import urls as platform

localised = platform.urlpatterns[-1]
urlpatterns = [
    *platform.urlpatterns[:-1],
    *i18n_patterns(
        path("skills/", include("lms.skills.urls")),
        *localised.url_patterns,
        prefix_default_language=False,
    ),
]
