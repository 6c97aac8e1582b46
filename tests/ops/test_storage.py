"""DASI_STORAGE: folders or an S3-compatible bucket, for public media and private files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

import pytest

from lms.storage import storages_setting

ROOT = Path(__file__).resolve().parents[2]
S3 = {
    "s3_bucket": "dasi-media",
    "s3_endpoint_url": "https://objects.example.org",
    "s3_region": "kr-central-1",
    "s3_access_key_id": "AKIAEXAMPLE",
    "s3_secret_access_key": "example-secret",
}


def build(entry: dict):
    return import_string(entry["BACKEND"])(**entry.get("OPTIONS", {}))


def test_filesystem_keeps_private_files_in_their_folder(tmp_path):
    setting = storages_setting("filesystem", private_root=tmp_path / "private")
    private = build(setting["private"])
    assert private.location == str(tmp_path / "private")
    assert setting["default"]["BACKEND"].endswith("FileSystemStorage")


def test_s3_serves_media_by_plain_url_and_private_files_only_signed(tmp_path):
    setting = storages_setting("s3", private_root=tmp_path, **S3)
    media, private = build(setting["default"]), build(setting["private"])
    assert media.bucket_name == private.bucket_name == "dasi-media"
    assert (media.location, private.location) == ("media", "private")
    media_url = media.url("images/logo.png")
    assert media_url == "https://objects.example.org/dasi-media/media/images/logo.png"
    private_url = private.url("certificates/2026/x.pdf")
    assert "/dasi-media/private/certificates/2026/x.pdf?" in private_url
    assert "X-Amz-Signature=" in private_url and "X-Amz-Expires=300" in private_url
    assert not private.file_overwrite  # a new upload never replaces another learner's file


def test_a_private_bucket_of_its_own(tmp_path):
    setting = storages_setting("s3", private_root=tmp_path, s3_private_bucket="dasi-private", **S3)
    assert build(setting["private"]).bucket_name == "dasi-private"
    assert build(setting["default"]).bucket_name == "dasi-media"


@pytest.mark.parametrize(
    ("backend", "options", "message"),
    [
        ("nfs", {}, "DASI_STORAGE must be one of filesystem, s3, not 'nfs'."),
        ("s3", {}, "DASI_STORAGE=s3 needs DASI_S3_BUCKET."),
    ],
)
def test_bad_selection_is_refused_with_one_line(tmp_path, backend, options, message):
    with pytest.raises(ImproperlyConfigured) as caught:
        storages_setting(backend, private_root=tmp_path, **options)
    assert str(caught.value) == message


def storages_in_settings(**env: str) -> str:
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "print(type(storages['default']).__name__, type(storages['private']).__name__,"
        " storages['private'].location)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DASI_S")}
    process = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout.strip()


def test_the_setting_selects_the_backend(tmp_path):
    assert storages_in_settings(DASI_PRIVATE_ROOT=str(tmp_path)) == (
        f"FileSystemStorage FileSystemStorage {tmp_path}"
    )
    assert storages_in_settings(DASI_STORAGE="s3", DASI_S3_BUCKET="dasi") == (
        "S3Storage S3Storage private"
    )
