"""OpenAPI: the token scheme, and the error responses every operation can give.

Rather than repeat them on each view, `add_error_responses` (a drf-spectacular postprocessing
hook) adds to every operation the statuses it can return besides its own: 400 when it takes
input, 401 always (a wrong token is refused even on a public resource), 403 when it needs an
account, 404 when its path names a resource, 406 (JSON only), 409 for an action on a case,
415 when it takes a body. Each has the one `Error` shape of `errors.py`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .errors import CODES


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "werkplek.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_(
                "A token an administrator issued to your training provider or partnership: "
                "`Authorization: Bearer wp_…`. It acts as the account it was issued to.")),
        }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "enum": sorted(CODES),
                 "description": "Stable code of the kind of error."},
        "message": {"type": "string",
                    "description": "For people, in the language asked for (Accept-Language)."},
        "fields": {
            "type": "object",
            "description": "Errors of fields of the request, keyed by field.",
            "additionalProperties": {"type": "array",
                                     "items": {"$ref": "#/components/schemas/ErrorItem"}},
        },
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"},
                   "description": "Errors that are not about one field."},
    },
}
ERROR_ITEM_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "section": {"type": "string",
                    "description": "The section of the application (blocked submissions)."},
    },
}

DESCRIPTIONS = {
    "400": "The request is not valid (see `fields` and `errors`), or a rule refuses it.",
    "401": "No valid token or session: not authenticated.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found, or not visible to you.",
    "406": "Only application/json is served.",
    "409": "The case is not in a state that allows this, or changed meanwhile.",
    "415": "Send application/json, or multipart/form-data where a file is uploaded.",
}

PUBLIC_TAGS = {"catalogue", "register"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components["ErrorItem"] = ERROR_ITEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            params = operation.get("parameters", [])
            takes_input = bool(operation.get("requestBody")) or any(
                p.get("in") == "query" for p in params)
            is_public = bool(set(operation.get("tags", [])) & PUBLIC_TAGS)
            statuses = ["401", "406"]
            if takes_input:
                statuses.append("400")
            if not is_public:
                statuses.append("403")
            if "{" in path:
                statuses.append("404")
            if method in ("post", "put", "patch", "delete") and "{" in path:
                statuses.append("409")
            if operation.get("requestBody"):
                statuses.append("415")
            for code in statuses:
                responses.setdefault(code, {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}},
                })
    return result
