"""The assessment form offers only the centres the author works for."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm

from lms.accounts.models import Role
from lms.accounts.selectors import centres_where

from .grader import NotebookError, SandboxUnavailable
from .grader.check import check_source

AUTHOR_ROLES = [Role.INSTRUCTOR, Role.CENTRE_ADMIN]


class AssessmentForm(WagtailAdminModelForm):
    """Checks what makes an assessment usable: a quiz has questions; a notebook exercise has a
    source notebook that is valid and passes its own tests in the sandbox."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "centre" in self.fields:
            centres = centres_where(user=self.for_user, roles=AUTHOR_ROLES)
            self.fields["centre"].queryset = centres
            if not self.instance.pk and centres.count() == 1:
                self.fields["centre"].initial = centres.first().pk

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == "quiz" and not cleaned.get("questions"):
            self.add_error("questions", _("A quiz needs at least one question."))
        if kind == "notebook":
            self._clean_notebook(cleaned)
        return cleaned

    def _clean_notebook(self, cleaned) -> None:
        upload = cleaned.get("notebook_source")
        if not upload:
            self.add_error("notebook_source", _("Upload the exercise's source notebook."))
            return
        upload.seek(0)
        source = upload.read()
        upload.seek(0)
        data_files = {}
        archive = cleaned.get("notebook_data")
        if archive:
            archive.seek(0)
            try:
                with zipfile.ZipFile(io.BytesIO(archive.read())) as zipped:
                    data_files = {
                        i.filename: zipped.read(i) for i in zipped.infolist() if not i.is_dir()
                    }
            except zipfile.BadZipFile:
                self.add_error("notebook_data", _("The data files must be a zip archive."))
                return
            finally:
                archive.seek(0)
        try:
            report = check_source(source, data_files=data_files)
        except NotebookError as exc:
            self.add_error("notebook_source", str(exc))
            return
        except SandboxUnavailable as exc:
            self.add_error(
                "notebook_source",
                _("The grading sandbox is not available: %(error)s") % {"error": exc},
            )
            return
        for problem in report.problems:
            self.add_error("notebook_source", problem)
