"""WSGI entry point for gunicorn or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from tidtam.cli import collect_garbage_less_often

collect_garbage_less_often()  # as every tidtam process (tidtam/cli.py: GC_THRESHOLD)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
