"""The assessment form offers only the centres the author works for."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from lms.accounts.models import Role
from lms.accounts.selectors import centres_where

AUTHOR_ROLES = [Role.INSTRUCTOR, Role.CENTRE_ADMIN]


class AssessmentForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "centre" in self.fields:
            centres = centres_where(user=self.for_user, roles=AUTHOR_ROLES)
            self.fields["centre"].queryset = centres
            if not self.instance.pk and centres.count() == 1:
                self.fields["centre"].initial = centres.first().pk
