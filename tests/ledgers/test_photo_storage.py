"""Where photos are kept is a setting: a private local folder by default, an S3-compatible
bucket (MinIO) in production if chosen. Read in a subprocess so module-level parsing is real."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
from ledgers.models import Photo
storage = storages["photos"]
field_storage = Photo._meta.get_field("image").storage
print(json.dumps({
    "class": f"{type(storage).__module__}.{type(storage).__name__}",
    "location": str(getattr(storage, "location", "")),
    "media_root": str(settings.MEDIA_ROOT),
    "bucket": getattr(storage, "bucket_name", None),
    "endpoint": getattr(storage, "endpoint_url", None),
    "acl": getattr(storage, "default_acl", None),
    "signed": getattr(storage, "querystring_auth", None),
    "field_location": str(getattr(field_storage, "location", "")),
    "field_bucket": getattr(field_storage, "bucket_name", None),
}))
"""


def probe(**env: str) -> dict[str, object]:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "baozhaofang.settings", **env}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_embedded_photos_go_to_a_private_folder_outside_media() -> None:
    got = probe()
    assert got["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert str(got["location"]).endswith("private/photos")
    assert not str(got["location"]).startswith(str(got["media_root"]))
    assert got["field_location"] == got["location"]


def test_photo_storage_can_be_an_s3_compatible_bucket() -> None:
    got = probe(
        PHOTO_STORAGE="s3",
        PHOTO_S3_BUCKET="bzf-photos",
        PHOTO_S3_ENDPOINT_URL="http://minio.internal:9000",
        PHOTO_S3_ACCESS_KEY="bzf",
        PHOTO_S3_SECRET_KEY="secret-for-test",
    )
    assert got["class"] == "storages.backends.s3.S3Storage"
    assert got["bucket"] == "bzf-photos"
    assert got["endpoint"] == "http://minio.internal:9000"
    assert (got["acl"], got["signed"]) == ("private", True)
    assert got["field_bucket"] == "bzf-photos"


def test_an_unknown_photo_storage_is_refused_at_start() -> None:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "baozhaofang.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "PHOTO_STORAGE": "ftp"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PHOTO_STORAGE must be local or s3" in result.stderr
