"""The OpenAPI description of the app's JSON API, served at /api/openapi.json.

The endpoints stay the Django views they are (practice.api, reminders.views_push,
patients.preferences, fhir.views), with their own URLs, checks and answers. This package
describes them with django-ninja: the request bodies from the very pydantic models that
validate them (practice.uploads), the answers from the models in `schemas`. See docs/api.md.
"""
