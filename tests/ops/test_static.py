"""The release step (`collectstatic` with the manifest storage of production) succeeds, and
every page's and report's static file is in the manifest.

Production uses WhiteNoise's CompressedManifestStaticFilesStorage: Django's manifest
storage plus gzip/Brotli copies of each file. The test uses the manifest part alone — it
is what rewrites and checks the URLs in CSS files — because compressing the fonts takes
most of a minute."""

import json

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_collectstatic_with_the_production_storage_succeeds(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("css/portal.css", "reviews/review-pdf.css", "fonts/NotoSerif-Regular.ttf", "django_htmx/htmx-2.min.js"):
        assert name in paths
    css = (tmp_path / "static" / paths["reviews/review-pdf.css"]).read_text()
    assert 'url("backancitystatic:fonts/NotoSerif-Regular.ttf")' in css  # left for the PDF fetcher
