"""/api/openapi.json: the OpenAPI schema of the JSON API, for anyone (it holds no data)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .openapi import schema


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema())
