"""WSGI entry point for production servers (for example `gunicorn stenosis_coach.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stenosis_coach.settings")
application = get_wsgi_application()
