"""Page context added by the apps above a page type, so page models never import upwards.

Page types live low in the layers (a centre's home page, the course pages) but show what
apps above them know: a centre's catalogue, a learner's progress. A page names its hook in
`context_hook`; each function registered under that name (in the `wagtail_hooks.py` of the
app that knows) is called as `fn(page=page, request=request)` and returns a dict merged
into the template context, in registration order.
"""

from __future__ import annotations

from django.http import HttpRequest

from wagtail import hooks


class HookedContextMixin:
    """Adds to `get_context` what the functions registered under `context_hook` return."""

    context_hook: str = ""

    def get_context(self, request: HttpRequest, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for extend in hooks.get_hooks(self.context_hook):
            context.update(extend(page=self, request=request))
        return context
