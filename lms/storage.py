"""Where uploaded files live: the STORAGES setting, and the storage of files never served from the
public media URL.

DASI_STORAGE selects the back-end of both the public media and the private files:

* ``filesystem`` (default): folders (DASI_MEDIA_ROOT, DASI_PRIVATE_ROOT); with several web and
  worker pods they sit on one ReadWriteMany volume.
* ``s3``: an S3-compatible bucket through django-storages (DASI_S3_*); public media under
  ``media/`` with plain URLs, private files under ``private/`` (or a bucket of their own), never
  public, read only through Dasi's permission-checking views.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

STORAGE_BACKENDS = ("filesystem", "s3")
S3_BACKEND = "storages.backends.s3.S3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
STATICFILES_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


def storages_setting(
    backend: str,
    *,
    private_root: Path,
    s3_bucket: str = "",
    s3_private_bucket: str = "",
    s3_endpoint_url: str = "",
    s3_region: str = "",
    s3_access_key_id: str = "",
    s3_secret_access_key: str = "",
    s3_custom_domain: str = "",
) -> dict:
    """The STORAGES setting for DASI_STORAGE=backend (static files stay with whitenoise)."""
    if backend == "filesystem":
        return {
            "default": {"BACKEND": FILESYSTEM_BACKEND},
            "private": {
                "BACKEND": FILESYSTEM_BACKEND,
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
            "staticfiles": {"BACKEND": STATICFILES_BACKEND},
        }
    if backend != "s3":
        raise ImproperlyConfigured(
            f"DASI_STORAGE must be one of {', '.join(STORAGE_BACKENDS)}, not {backend!r}."
        )
    if not s3_bucket:
        raise ImproperlyConfigured("DASI_STORAGE=s3 needs DASI_S3_BUCKET.")
    common = {
        "endpoint_url": s3_endpoint_url or None,
        "region_name": s3_region or None,
        # Empty keys: boto3 finds credentials itself (an IAM role of the pod, for instance).
        "access_key": s3_access_key_id or None,
        "secret_key": s3_secret_access_key or None,
        "file_overwrite": False,
        "default_acl": None,
    }
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": s3_bucket,
                "location": "media",
                "querystring_auth": False,  # images and documents of public pages
                "custom_domain": s3_custom_domain or None,
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": s3_private_bucket or s3_bucket,
                "location": "private",
                # Never a public URL: views read the file and answer with it themselves; a
                # signed URL, if one is ever made, lasts five minutes.
                "querystring_auth": True,
                "querystring_expire": 300,
                "custom_domain": None,
            },
        },
        "staticfiles": {"BACKEND": STATICFILES_BACKEND},
    }


def private_storage():
    """Files downloaded only through views that check who is asking (certificate PDFs,
    submitted notebooks, exercise sources with hidden tests)."""
    from django.core.files.storage import storages

    return storages["private"]
