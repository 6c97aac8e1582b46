"""Launches of a notebook exercise in a learner's JupyterLab."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxLaunch(models.Model):
    """One click on "Open exercise" (or "Submit my notebook") and how far it got.

    The launch page polls it; a failure keeps its reason so the learner and staff can see what
    happened. Nothing of the learner's work lives here: files stay on their server, submissions
    are Attempts.
    """

    class Intent(models.TextChoices):
        OPEN = "open", _("Open the exercise")
        SUBMIT = "submit", _("Submit the notebook")

    class State(models.TextChoices):
        LOGIN = "login", _("Signing in to JupyterLab")
        STARTING = "starting", _("Starting your JupyterLab")
        PROVISIONING = "provisioning", _("Copying the exercise")
        READY = "ready", _("Ready")
        SUBMITTED = "submitted", _("Submitted")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_launches"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="sandbox_launches"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="sandbox_launches"
    )
    intent = models.CharField(max_length=10, choices=Intent.choices, default=Intent.OPEN)
    state = models.CharField(max_length=20, choices=State.choices, default=State.STARTING)
    hub_username = models.CharField(max_length=64)
    # The page's language at the click: JupyterLab's language and that of the way back to Dasi.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    folder = models.CharField(_("folder"), max_length=255)
    notebook_path = models.CharField(max_length=255)
    provisioned = models.JSONField(default=list, blank=True)  # files written this time
    error = models.TextField(blank=True)
    attempt = models.ForeignKey(
        "assessments.Attempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sandbox_launches",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # the hub was asked to start
    provisioning_at = models.DateTimeField(null=True, blank=True)  # server up, copying began
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notebook launch")
        verbose_name_plural = _("notebook launches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.hub_username} · {self.folder} · {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.READY, self.State.SUBMITTED, self.State.FAILED)
