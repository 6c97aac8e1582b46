"""Rank digital-creator roles for a profile given as JSON, with gaps and learning paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from hub_sites.models import Centre
from lms.skills.engine.matching import normalise, split_phrases
from lms.skills.models import Skill
from lms.skills.runtime import skill_matcher
from lms.skills.selectors import TEXT_LEVEL_EXACT, TEXT_LEVEL_FUZZY, skill_report

PROFILE_FIELDS = {"skills", "text"}
SKILL_FIELDS = {"skill", "level"}


def _fail(message: str) -> CommandError:
    return CommandError(message.replace("\n", " "))


def profile_read(path: Path) -> dict[str, Any]:
    """The profile JSON, checked field by field; raises CommandError with one line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{path}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise _fail(f"{path}: the profile must be a JSON object with 'skills' and/or 'text'")
    unknown = sorted(set(data) - PROFILE_FIELDS)
    if unknown:
        raise _fail(f"{path}: unknown field(s) {', '.join(unknown)}; allowed: skills, text")
    skills = data.get("skills", [])
    if not isinstance(skills, list):
        raise _fail(f"{path}: 'skills' must be a list")
    for i, item in enumerate(skills):
        where = f"{path}: skills[{i}]"
        if not isinstance(item, dict):
            raise _fail(f"{where} must be an object with 'skill' and 'level'")
        extra = sorted(set(item) - SKILL_FIELDS)
        if extra:
            raise _fail(f"{where}: unknown field(s) {', '.join(extra)}; allowed: skill, level")
        if not isinstance(item.get("skill"), str) or not item["skill"].strip():
            raise _fail(f"{where}: 'skill' must be an ESCO URI or a skill label")
        level = item.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
            raise _fail(f"{where}: 'level' must be an integer from 0 to 5, not {level!r}")
    text = data.get("text", "")
    if not isinstance(text, str):
        raise _fail(f"{path}: 'text' must be a string")
    return {"skills": skills, "text": text}


class Command(BaseCommand):
    help = (
        "Rank roles for PROFILE.json ({'skills': [{'skill': URI or label, 'level': 0-5}], "
        "'text': '...'}) with every missing skill and a path through a centre's catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", type=Path, required=True, help="PROFILE.json")
        parser.add_argument("--centre", help="Centre slug whose catalogue the path uses.")
        parser.add_argument("--top", type=int, default=None, help="Only the N most ready roles.")
        parser.add_argument("--json", action="store_true", help="Print JSON on stdout.")
        parser.add_argument(
            "--language", choices=["ko", "en"], default="en", help="Language of names (en)."
        )

    def handle(self, *args, **options) -> None:
        if options["top"] is not None and options["top"] < 1:
            raise _fail(f"--top must be at least 1, not {options['top']}")
        profile = profile_read(options["profile"])
        centre = None
        if options["centre"]:
            centre = (
                Centre.objects.select_related("site__root_page")
                .filter(slug=options["centre"])
                .first()
            )
            if centre is None:
                known = ", ".join(Centre.objects.values_list("slug", flat=True)) or "none"
                raise _fail(f"unknown centre {options['centre']!r} (known: {known})")
        with translation.override(options["language"]):
            result = self._run(profile, centre, options["top"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self._print(result)

    def _run(self, profile: dict[str, Any], centre: Centre | None, top: int | None) -> dict:
        matcher = skill_matcher()
        levels: dict[str, int] = {}
        uris = set(
            Skill.objects.filter(
                esco_uri__in=[i["skill"].strip() for i in profile["skills"]]
            ).values_list("esco_uri", flat=True)
        )
        for i, item in enumerate(profile["skills"]):
            value = item["skill"].strip()
            uri = value if value in uris else matcher.exact.get(normalise(value))
            if uri is None:
                hint = matcher.rank([value], k=1, method="tfidf")[0]
                maybe = f"; did you mean {hint[0].label!r} ({hint[0].skill})?" if hint else ""
                raise _fail(f"skills[{i}]: unknown skill {value!r}{maybe}")
            if uri in levels:
                raise _fail(f"skills[{i}]: {value!r} is listed twice")
            levels[uri] = item["level"]
        unmatched = []
        phrases = split_phrases(profile["text"])
        for match in matcher.match(phrases):
            if match.skill is None:
                unmatched.append(
                    {
                        "phrase": match.phrase,
                        "suggestions": [
                            {"skill": c.skill, "label": c.label, "score": round(c.score, 3)}
                            for c in match.suggestions
                        ],
                    }
                )
                continue
            cap = TEXT_LEVEL_EXACT if match.method == "label" else TEXT_LEVEL_FUZZY
            # Listed levels are confirmed; text only adds where nothing was listed.
            if match.skill not in levels:
                levels[match.skill] = max(levels.get(match.skill, 0), cap)
        report = skill_report(user=None, centre=centre, levels=levels, paths_for=top or 10**6)
        labels = {uri: s.label for uri, s in report.skills.items()}
        missing_labels = {
            s.esco_uri: s.label
            for s in Skill.objects.filter(esco_uri__in=set(levels) - set(labels))
        }
        labels.update(missing_labels)
        roles = []
        for role_report in report.roles[: top or None]:
            fit = role_report.fit
            path = role_report.path
            roles.append(
                {
                    "role": role_report.role.slug,
                    "name": role_report.role.name,
                    "readiness": round(fit.readiness, 4),
                    "gaps": [
                        {
                            "skill": g.skill,
                            "label": labels.get(g.skill, g.skill),
                            "required": g.required,
                            "current": g.current,
                            "weight": g.weight,
                        }
                        for g in fit.gaps
                    ],
                    "path": [
                        {
                            "course": report.courses[step.course.key].page.slug,
                            "title": step.course.title,
                            "hours": step.course.hours,
                            "closes": [
                                {"skill": uri, "label": labels.get(uri, uri), "level": level}
                                for uri, level in step.closes.items()
                            ],
                        }
                        for step in (path.steps if path else [])
                    ],
                }
            )
        return {"roles": roles, "unmatched": unmatched}

    def _print(self, result: dict) -> None:
        for role in result["roles"]:
            self.stdout.write(f"{role['readiness']:6.1%}  {role['name']} ({role['role']})")
            for gap in role["gaps"][:5]:
                self.stdout.write(
                    f"          needs {gap['label']}: {gap['current']} → {gap['required']}"
                )
            for step in role["path"]:
                self.stdout.write(f"          take {step['title']} ({step['hours']:g} h)")
        for item in result["unmatched"]:
            self.stdout.write(f"unmatched: {item['phrase']}")
