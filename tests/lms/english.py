"""Find English text in a Korean page: the visible text of an HTML page, and the runs of two or
more English words in it that are not names the Korean interface keeps as they are.

Visible text is the text of the elements a reader sees (not those marked hidden, which scripts
fill and show later) plus the attributes a reader meets (a button's value, a field's
placeholder, a tooltip, an image's alt text, an accessible label); scripts, styles, templates and code samples (code, pre, kbd, samp) are left out, and so is
anything marked translate="no" (brand names, file names, ids) or declared English with
lang="en" (an English name shown beside the Korean one, on purpose). The Wagtail admin's menu is
drawn by JavaScript from a JSON script (wagtail-sidebar-props): its labels count as visible.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

#: Elements whose content is never read as interface text.
SKIPPED = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "svg"}
#: Void elements: they have no end tag, so they never open a skipped region.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
#: JSON scripts whose "label" values a script shows as text (the Wagtail admin's menu).
LABELLED_SCRIPTS = {"wagtail-sidebar-props"}
#: Attributes a reader sees or hears.
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")

#: Names and terms a Korean page keeps in Latin letters, each a whole run of words. A phrase
#: belongs here only when Korean readers meet it that way (product names, standards, library
#: and tool names); an English sentence never does.
ALLOWED = (
    # products, standards and organisations
    "Dasi", "Wagtail", "JupyterLab", "JupyterHub", "Jupyter", "Open Badges", "OB 3.0",
    "ESCO", "ESCO v1.2", "LTI", "LTI 1.3", "xAPI", "LRS", "OpenID Connect", "OIDC",
    "CSV", "JSON", "PDF", "URL", "QR", "TOTP", "API", "Google", "Microsoft", "Excel",
    "Power BI", "Tableau", "Colab", "Creative Commons",
    # ESCO's licence asks for its notice as written: "© European Union"
    "European Union",
    # languages and libraries the courses teach
    "Python", "pandas", "NumPy", "matplotlib", "scikit-learn", "SQL", "Jupyter Notebook",
    "Notebook", "ChatGPT", "LLM", "AI", "ML", "RPA", "UX", "UI", "BI", "ICT",
    "DataFrame", "Series",
    # the language switch names each language in itself
    "English",
)  # fmt: skip

#: Text that Wagtail writes in English outside its catalogues, so no translation can reach it:
#: each a whole piece of text, with where it comes from.
UNTRANSLATABLE = {
    # wagtailadmin/home.html and shared/header.html: a search form's hidden submit button
    "Search",
}

WORD = r"[A-Za-z][A-Za-z'’\-]*"
#: Two or more English words in a row, separated by spaces (and commas or full stops between
#: words of a sentence).
RUN = re.compile(rf"{WORD}(?:[ \t]*[,.:;]?[ \t]+{WORD})+")
LONE_WORD = re.compile(r"[A-Za-z][a-z'’]{2,}")
_ALLOWED = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(p) for p in sorted(ALLOWED, key=len, reverse=True))
    + r")(?![A-Za-z])",
    # A learner's own text names the same tools in lower case ("sql, excel" in a CV).
    re.IGNORECASE,
)
#: English function words never found in Korean text: one by itself betrays an untranslated
#: template ("1-2 of 2 페이지").
FUNCTION_WORD = re.compile(
    r"(?<![A-Za-z'’\-])(?:of|in|the|and|or|to|with|for|from|by|across)(?![A-Za-z'’\-])"
)
#: Addresses and identifiers: an e-mail address, a host name, a path, a slug.
IDENTIFIER = re.compile(r"\S+@\S+|\b[\w-]+(?:\.[\w-]+)+\b|/\S*|\b\w+(?:[-_]\w+)+\b")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping: list[str] = []
        self._labelled = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._labelled = tag == "script" and attributes.get("id") in LABELLED_SCRIPTS
        if self._skipping:
            if tag not in VOID:
                self._skipping.append(tag)
            return
        if (
            tag in SKIPPED
            or attributes.get("translate") == "no"
            or attributes.get("lang") == "en"
            or "hidden" in attributes
        ):
            if tag not in VOID:
                self._skipping.append(tag)
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.chunks.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.chunks.append(attributes.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:  # <div/> in HTML opens nothing that must close
            self.handle_starttag("img", attrs)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self._skipping:
            # Close up to the matching open tag (HTML forgives unclosed inner elements).
            if tag in self._skipping:
                while self._skipping and self._skipping.pop() != tag:
                    pass
            return

    def handle_data(self, data):
        if self._labelled:
            self.chunks.extend(_labels(json.loads(data)))
            self._labelled = False
        elif not self._skipping and data.strip():
            self.chunks.append(data)


def _labels(value) -> list[str]:
    """Every "label" string in a JSON document."""
    if isinstance(value, dict):
        found = [value["label"]] if isinstance(value.get("label"), str) else []
        return found + [label for item in value.values() for label in _labels(item)]
    if isinstance(value, list):
        return [label for item in value for label in _labels(item)]
    return []


def visible_text(html: str) -> list[str]:
    """The pieces of text a reader of the page sees, in document order."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return [" ".join(chunk.split()) for chunk in parser.chunks if chunk.strip()]


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words in `text`, allowed names and identifiers removed;
    and a text that is one English word by itself (a menu label, a heading, a button)."""
    if text.strip() in UNTRANSLATABLE:
        return []
    text = IDENTIFIER.sub(" ", _ALLOWED.sub(" ", text))
    if LONE_WORD.fullmatch(text.strip()):
        return [text.strip()]
    runs = [run for run in RUN.findall(text) if re.search(r"[a-z]", run)]
    if not runs and FUNCTION_WORD.search(text):
        runs.append(" ".join(text.split()))
    return runs


def english_in_page(html: str) -> list[str]:
    """Every English run in the page's visible text, once each, in order."""
    found: dict[str, None] = {}
    for chunk in visible_text(html):
        for run in english_runs(chunk):
            found.setdefault(run, None)
    return list(found)
