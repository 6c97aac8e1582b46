"""The words of each kind of notification, in the reader's language.

A notification stores values, not sentences, so one row reads in Korean to a Korean reader
and in English to an English one; e-mail is rendered under the recipient's preferred
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Kind, Notification


@dataclass(frozen=True)
class Text:
    title: str
    body: str
    path: str  # in the active language, "" when the page is gone


def _when(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _path(values: dict) -> str:
    name, args = (values.get("link") or ["", []])[:2]
    if not name:
        return ""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def render(notification: Notification) -> Text:
    """Title, body and link of a notification in the active language."""
    v = notification.values
    kind = notification.kind
    if kind == Kind.GRADED:
        title = _("Your submission to “%(assessment)s” is graded") % v
        body = _("Score: %(score)s of %(max)s.") % v
    elif kind == Kind.CERTIFICATE:
        title = _("Your certificate for “%(course)s” is ready") % v
        body = _("Download it or share its verification link from your certificates page.")
    elif kind == Kind.DEADLINE:
        title = _("“%(title)s” is due soon") % v
        body = _("Due %(due)s.") % {"due": _when(v["due"])}
    elif kind == Kind.PLAN:
        title = _("%(counsellor)s recorded a new plan with you") % v
        body = _("Target date: %(target)s.") % v
    elif kind == Kind.MESSAGE:
        title = _("New message from %(sender)s") % v
        body = _("Open the conversation to read and answer it.")
    elif kind == Kind.ANNOUNCEMENT:
        title = _("%(course)s: %(title)s") % v
        body = v.get("body", "")
    else:
        title = _("“%(course)s” has been updated") % v
        body = _("New or changed: %(page)s.") % v
    return Text(title=title, body=body, path=_path(v))
