"""Every URL pattern of the project, as (name, route, callback, converters), from the resolver.

The matrix test walks this list; nothing here knows which URLs exist, so a URL added to any
urls.py or admin hook shows up on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

#: Dasi's own Python packages: a view defined in one of them is Dasi's to declare.
DASI_PACKAGES = ("lms", "assessments", "courses", "hub_sites")
#: Dasi's app labels: a Wagtail snippet or model viewset of one of their models is Dasi's too,
#: although its views are Wagtail's classes.
DASI_APP_LABELS = (
    "accounts", "assessments", "certificates", "counselling", "courses", "hub_sites",
    "learning", "sandboxes", "skills",
)  # fmt: skip


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or the route itself for an unnamed pattern
    route: str  # the joined pattern text, for messages
    module: str  # the callback's module
    params: tuple[str, ...]  # names of the URL parameters (regex groups as _0, _1, ...)
    converters: tuple[str, ...]  # their converter (int, slug, str, uuid, path) or "re:<regex>"

    @property
    def owner(self) -> str:
        """Who declares this URL: dasi, wagtail, allauth, oauth2_provider, django, ..."""
        top = self.module.split(".")[0]
        if top in DASI_PACKAGES:
            return "dasi"
        if top == "wagtail" and any(
            self.name.startswith((f"wagtailsnippets_{label}_", f"wagtailsnippetchoosers_{label}_"))
            for label in DASI_APP_LABELS
        ):
            return "dasi"
        return top


_CONVERTER_NAMES = {
    "IntConverter": "int",
    "StringConverter": "str",
    "SlugConverter": "slug",
    "UUIDConverter": "uuid",
    "PathConverter": "path",
}


def _params(pattern) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(pattern, RoutePattern):
        names = tuple(pattern.converters)
        kinds = tuple(
            _CONVERTER_NAMES.get(type(pattern.converters[n]).__name__, "str") for n in names
        )
        return names, kinds
    regex = pattern.regex
    groups = re.findall(r"\(\?P<(\w+)>([^)]*)\)", regex.pattern)
    if groups:
        return tuple(g[0] for g in groups), tuple(f"re:{g[1]}" for g in groups)
    bare = re.findall(r"\((?!\?)([^)]*)\)", regex.pattern)
    return tuple(f"_{i}" for i in range(len(bare))), tuple(f"re:{g}" for g in bare)


def routes() -> list[Route]:
    """Every URLPattern reachable from ROOT_URLCONF, depth first, in declaration order."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str, params, kinds) -> None:
        for entry in resolver.url_patterns:
            names, types = _params(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner, params + names, kinds + types)
                continue
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            callback = entry.callback
            module = getattr(callback, "__module__", "") or ""
            model = getattr(getattr(callback, "view_class", None), "model", None)
            label = getattr(getattr(model, "_meta", None), "app_label", "")
            if label in DASI_APP_LABELS:
                module = f"{model.__module__}:{module}"  # a Dasi model's admin viewset
            found.append(Route(name or route, route, module, params + names, kinds + types))

    walk(get_resolver(), "", "", (), ())
    return found
