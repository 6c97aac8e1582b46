"""Validate xAPI statements with Ralph's own pydantic models (run with Ralph's Python).

Reads a JSON list of statements on stdin; prints a JSON object {statement id: [errors]} with
an entry for each statement that is not a valid xAPI 1.0.3 statement under Ralph's model of
the specification (BaseXapiStatement: required properties, IRIs, language maps, UUIDs, score
bounds, extensions). Ralph's profile models (its virtual-classroom and video profiles) are
for other platforms' statements and are not applied.
"""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

errors = {}
for statement in json.load(sys.stdin):
    problems = []
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as exc:
        problems.append(str(exc))
    if problems:
        errors[statement.get("id", "?")] = problems
print(json.dumps(errors))
