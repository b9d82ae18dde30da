"""ZGW problem details for every API error.

The body is the same whatever the client asks for; its media type is `application/json`, as
the reference sends it (clients map errors to exceptions only for that type), and
`application/problem+json` when the request's `Accept` names it.

Validation errors become `invalidParams` with camelCase, dotted names
(`bezoekadres.postcode`, `partijIdentificatoren.0.partijIdentificator.objectId`).
Django's ValidationError, IntegrityError, ProtectedError and Http404 are mapped here so
none of them becomes a 500.
"""

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
JSON_CONTENT_TYPE = "application/json"


def error_content_type(request) -> str:
    """`application/problem+json` for a client whose Accept names it, else `application/json`."""
    meta = getattr(request, "META", None) or {}
    accept = meta.get("HTTP_ACCEPT", "")
    return PROBLEM_CONTENT_TYPE if PROBLEM_CONTENT_TYPE in accept.lower() else JSON_CONTENT_TYPE


TITLES = {
    301: "Permanent verplaatst.",
    400: "Invalid input.",
    401: "Authenticatiegegevens zijn niet opgegeven.",
    403: "U heeft geen toestemming om deze actie uit te voeren.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    406: "Kan niet voldoen aan de opgegeven Accept header.",
    413: "Request body te groot.",
    409: "Gelijktijdige wijziging.",
    410: "Niet meer beschikbaar.",
    415: "Medium type niet ondersteund.",
    429: "Te veel verzoeken.",
    500: "Er is een serverfout opgetreden.",
    503: "Tijdelijk niet beschikbaar.",
}


# PostgreSQL's codes for a write that lost to a concurrent one: deadlock_detected,
# serialization_failure, lock_not_available. Nothing was saved; the same request may succeed.
RETRYABLE_SQLSTATES = {"40P01", "40001", "55P03"}


class ConcurrentWrite(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Een gelijktijdige wijziging van dezelfde gegevens; probeer het opnieuw."
    default_code = "conflict"
    wait = 1


class ProblemValidationError(exceptions.ValidationError):
    """A validation error with an explicit top-level code (e.g. `unknown-parameters`)."""

    def __init__(self, detail, code: str):
        super().__init__(detail, code=code)
        self.problem_code = code


def _camel(name: str) -> str:
    if name == api_settings.NON_FIELD_ERRORS_KEY:
        return "nonFieldErrors"
    # `__` separates the parts of a query parameter name (`hadBetrokkene__uuid`): keep it.
    return "__".join(_camel_part(part) for part in str(name).split("__"))


def _camel_part(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def flatten_errors(detail, prefix: str = "") -> list[dict]:
    params = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = _camel(key)
            if prefix and name == "nonFieldErrors":
                name = ""
            params += flatten_errors(
                value, f"{prefix}.{name}" if prefix and name else prefix or name
            )
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                params += flatten_errors(value, f"{prefix}.{index}" if prefix else str(index))
            else:
                params += flatten_errors(value, prefix)
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid") or "invalid",
                "reason": str(detail),
            }
        )
    return params


def problem_body(request, status_code: int, code: str, detail: str = "", invalid_params=None):
    host = request.build_absolute_uri("/") if request is not None else "/"
    body = {
        "type": f"{host}ref/fouten/{code}/",
        "code": code,
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            field: [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in errs for m in e]
            for field, errs in exc.error_dict.items()
        }
    return [exceptions.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = exceptions.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    exceptions.ErrorDetail(
                        "Dit object wordt nog gebruikt door andere objecten en kan niet "
                        "worden verwijderd.",
                        code="protected",
                    )
                ]
            }
        )
    elif (
        isinstance(exc, OperationalError)
        and getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES
    ):
        logger.warning("Concurrent write mapped to 409: %s", exc)
        exc = ConcurrentWrite()
    elif isinstance(exc, IntegrityError):
        logger.warning("Integrity error mapped to 400: %s", exc)
        exc = exceptions.ValidationError(
            {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    exceptions.ErrorDetail(
                        "De gegevens botsen met bestaande gegevens.", code="integrity"
                    )
                ]
            }
        )

    if not isinstance(exc, exceptions.APIException):
        return None

    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if getattr(exc, "location", None):
        headers["Location"] = exc.location

    status_code = exc.status_code
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        status_code = status.HTTP_401_UNAUTHORIZED

    if isinstance(exc, exceptions.ValidationError):
        code = getattr(exc, "problem_code", "invalid")
        body = problem_body(request, status_code, code, invalid_params=flatten_errors(exc.detail))
        if code != "invalid":
            body["title"] = TITLES[400]
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        code = getattr(exc.detail, "code", None) or exc.default_code
        body = problem_body(request, status_code, code, detail=str(detail))
        if isinstance(exc, exceptions.AuthenticationFailed):
            body["title"] = "Ongeldige authenticatiegegevens."
    # Members of the problem an exception adds (a merged partij names its survivor).
    body.update(getattr(exc, "problem_extra", None) or {})
    # The browsable API renders the problem as an HTML page, which must say it is HTML.
    renderer = getattr(request, "accepted_renderer", None)
    html = renderer is not None and renderer.media_type == "text/html"
    content_type = None if html else error_content_type(request)
    return Response(body, status=status_code, headers=headers, content_type=content_type)


def problem_response(
    request, status_code: int, code: str, detail: str = "", *, trust_host: bool = True
) -> JsonResponse:
    """A problem response outside DRF (URL not found, server error).

    With `trust_host=False` the problem's urls are not built from the request's Host.
    """
    return JsonResponse(
        problem_body(request if trust_host else None, status_code, code, detail=detail),
        status=status_code,
        content_type=error_content_type(request),
    )
