"""The plainest Wagtail page: a title and a rich-text body, Wagtail's own serve and routing,
no Dasi hooks, mixins or caches."""

from wagtail.fields import RichTextField
from wagtail.models import Page


class ReferencePage(Page):
    body = RichTextField(blank=True)

    template = "reference/reference_page.html"
