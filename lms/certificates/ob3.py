"""Open Badges 3.0 conformance of a credential document: the 1EdTech JSON Schema and the
JSON-LD contexts, both shipped in `data/ob3/` (nothing is fetched).

`schema_errors` lists what the JSON Schema refuses; `expand` expands the document with the
shipped contexts only, and `undefined_terms` names the properties no context defines: those
the VC 2.0 context's `@vocab` files under "issuer-dependent", and prefixed names whose prefix
no context declares.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft201909Validator
from pyld import jsonld

# The VC 2.0 context maps every term it does not define here (its @vocab).
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
DATA = Path(__file__).parent / "data" / "ob3"
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "context-3.0.3.json",
}


@cache
def _validator() -> Draft201909Validator:
    schema = json.loads((DATA / "ob_v3p0_achievementcredential_schema.json").read_text())
    return Draft201909Validator(schema)


def schema_errors(credential: dict) -> list[str]:
    """Each way the credential breaks the OB 3.0 AchievementCredential schema (none: valid)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in _validator().iter_errors(credential)
    ]


@cache
def _context(url: str) -> dict:
    return json.loads((DATA / CONTEXTS[url]).read_text())


def _loader(url: str, options=None) -> dict:
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(
            f"No shipped context for {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def expand(credential: dict) -> list:
    """The credential as expanded JSON-LD, from the shipped contexts only."""
    return jsonld.expand(credential, {"documentLoader": _loader})


def _keys(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_keys(item) for item in node)) if node else set()
    if isinstance(node, dict):
        return set(node).union(*(_keys(value) for value in node.values()))
    return set()


def undefined_terms(credential: dict) -> set[str]:
    """Property names of the credential that no shipped context defines: dropped by the
    expansion (no term, no @vocab), filed under the issuer-dependent vocabulary, or a prefixed
    name whose prefix is not declared."""
    expanded = expand(credential)
    compacted = jsonld.compact(
        expanded, {"@context": credential["@context"]}, {"documentLoader": _loader}
    )
    found = {key for key in _keys(credential) - _keys(compacted) if not key.startswith("@")}
    for key in _keys(expanded):
        if key.startswith(ISSUER_DEPENDENT):
            found.add(key.removeprefix(ISSUER_DEPENDENT))
        elif not key.startswith(("@", "http://", "https://")):
            found.add(key)
    return found
