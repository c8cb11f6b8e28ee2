"""Every error of the API is one JSON shape (`Error` in the schema):

    {"code": "invalid", "message": "…",
     "fields": {"unit": [{"code": "other_enterprise", "message": "…"}]},
     "errors": [{"code": "…", "message": "…", "section": "mentors"}]}

`code` is stable and one of `CODES`; `message` is in the language the client asked for
(`Accept-Language`, Dutch by default). `fields` holds the errors of fields of the request, keyed by
field; `errors` the others (with the section of the application for a submission that is
blocked)."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

# Top-level codes, with their status.
CODES = {
    "invalid": 400,
    "parse_error": 400,
    "blocked": 400,
    "not_authenticated": 401,
    "authentication_failed": 401,
    "permission_denied": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "conflict": 409,
    "precondition_failed": 412,
    "unsupported_media_type": 415,
    "throttled": 429,
    "server_error": 500,
}

# Codes of a service's ValidationError that mean "not in this state" or "changed meanwhile":
# the request was fine, the case is not (409 Conflict).
CONFLICT_CODES = frozenset({"not_draft", "stale", "state", "decided", "not_open"})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def _messages(detail) -> list[dict]:
    """DRF's ErrorDetail list (or one) as [{code, message}]."""
    if isinstance(detail, (list, tuple)):
        out = []
        for item in detail:
            out.extend(_messages(item))
        return out
    if isinstance(detail, dict):  # a nested serializer: flatten under the outer field
        out = []
        for key, value in detail.items():
            for item in _messages(value):
                out.append({**item, "message": f"{key}: {item['message']}"})
        return out
    return [{"code": getattr(detail, "code", None) or "invalid", "message": str(detail)}]


def _from_drf_validation(detail) -> dict:
    fields, errors = {}, []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                errors.extend(_messages(value))
            else:
                fields[key] = _messages(value)
    else:
        errors.extend(_messages(detail))
    return {"fields": fields, "errors": errors}


def _from_django_validation(error: DjangoValidationError) -> dict:
    fields, errors = {}, []
    if hasattr(error, "error_dict"):
        for key, items in error.error_dict.items():
            target = errors if key in ("__all__", None) else fields.setdefault(key, [])
            for item in items:
                target.append({"code": item.code or "invalid",
                               "message": " ".join(item.messages)})
    else:
        for item in error.error_list:
            errors.append({"code": item.code or "invalid", "message": " ".join(item.messages)})
    return {"fields": fields, "errors": errors}


def body(code: str, message: str, *, fields=None, errors=None) -> dict:
    data = {"code": code, "message": message}
    if fields:
        data["fields"] = fields
    if errors:
        data["errors"] = errors
    return data


def api_error_response(status_code: int):
    """A plain Django response in the API's shape, for errors raised outside a DRF view (an
    address that matches no route, an unexpected failure)."""
    from django.http import JsonResponse

    if status_code == 404:
        data = body("not_found", _("Not found, or you have no access to it."))
    elif status_code == 403:
        data = body("permission_denied", _("You may not do this."))
    else:
        data = body("server_error", _("Something went wrong on our side. Try again later; "
                                      "if it persists, tell the service desk."))
    return JsonResponse(data, status=status_code)


def exception_handler(exc, context):
    """DRF's handler, in our shape, and for the exceptions our services raise."""
    headers = {}
    from werkplek.applications.services import SubmissionBlocked

    if isinstance(exc, SubmissionBlocked):
        data = body("blocked", _("The application cannot be submitted yet: see the errors."),
                    errors=[{"code": "incomplete", "section": section, "message": str(message)}
                            for section, message in exc.problems])
        status_code = 400
    elif isinstance(exc, DjangoValidationError):
        parts = _from_django_validation(exc)
        codes = {item["code"] for item in parts["errors"]}
        codes |= {item["code"] for items in parts["fields"].values() for item in items}
        if codes & CONFLICT_CODES:
            first = (parts["errors"] or [{"message": _("The case has changed.")}])[0]
            data = body("conflict", first["message"], **parts)
            status_code = 409
        else:
            message = (parts["errors"][0]["message"] if parts["errors"] and not parts["fields"]
                       else _("Check the data you sent: see the errors."))
            data = body("invalid", message, **parts)
            status_code = 400
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        data = body("not_found", _("Not found, or you have no access to it."))
        status_code = 404
    elif isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("You may not do this.")
        data = body("permission_denied", message)
        status_code = 403
    elif isinstance(exc, exceptions.ValidationError):
        parts = _from_drf_validation(exc.detail)
        message = (parts["errors"][0]["message"] if parts["errors"] and not parts["fields"]
                   else _("Check the data you sent: see the errors."))
        data = body("invalid", message, **parts)
        status_code = 400
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if not isinstance(exc.detail, (dict, list)) else exc.default_code
        if not isinstance(code, str) or code not in CODES:
            code = exc.default_code if exc.default_code in CODES else "invalid"
        if isinstance(exc, exceptions.NotAuthenticated):
            code, message = "not_authenticated", _(
                "Log in, or send a token: Authorization: Bearer <token>.")
        elif isinstance(exc, exceptions.AuthenticationFailed):
            code, message = "authentication_failed", str(exc.detail)
        elif isinstance(exc, exceptions.PermissionDenied):
            code = "permission_denied"
            message = str(exc.detail) if exc.detail != exceptions.PermissionDenied.default_detail \
                else _("You may not do this.")
        elif isinstance(exc, exceptions.NotFound):
            code, message = "not_found", _("Not found, or you have no access to it.")
        elif isinstance(exc, exceptions.MethodNotAllowed):
            code, message = "method_not_allowed", _("This method is not allowed here.")
        elif isinstance(exc, exceptions.NotAcceptable):
            code, message = "not_acceptable", _("This API answers in JSON only.")
        elif isinstance(exc, exceptions.UnsupportedMediaType):
            code, message = "unsupported_media_type", _(
                "Send JSON, or multipart/form-data where a file is uploaded.")
        elif isinstance(exc, exceptions.ParseError):
            code, message = "parse_error", _("The request body could not be read: %(detail)s") % {
                "detail": exc.detail}
        elif isinstance(exc, exceptions.Throttled):
            code, message = "throttled", _("Too many requests: try again later.")
        else:
            message = str(exc.detail)
        data = body(code, message)
        status_code = exc.status_code
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        return None
    set_rollback()
    return Response(data, status=status_code, headers=headers)
