"""Static file names: content-hashed (cached for a year) once `collectstatic` has run."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed files, and plain names where nothing is collected yet.

    A content hash in the name lets WhiteNoise tell browsers to keep a file for a year: a new
    release has new names. Before `collectstatic` (the test suite, a fresh checkout with DEBUG
    off) there is no manifest, and a strict manifest would turn every page into an error; the
    plain name is right there, since WhiteNoise then has nothing to serve and DEBUG serves
    from the app folders.
    """

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))


class StaticFilesConfig(DjangoStaticFilesConfig):
    """Django's static files, without what no page of tidtam uses: django-ninja's Redoc (the API
    docs page is Swagger UI, tidtam.api.api.LocalDocs) and Swagger UI's script source map, 6 of
    ninja's 8 MB that `collectstatic` would copy and compress twice each. (swagger-ui.css names
    its map, so that one stays: the hashed copy rewrites the name.)"""

    ignore_patterns = [
        *DjangoStaticFilesConfig.ignore_patterns,
        "redoc.standalone.js*",
        "swagger-ui-bundle.js.map",
    ]
