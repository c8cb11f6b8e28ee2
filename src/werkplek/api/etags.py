"""ETags for the public register: a strong validator over the body of the response.

The register changes a few times a day while clients poll it often, so a client that sends
`If-None-Match` with the ETag it has gets `304 Not Modified` without a body. The ETag is a hash of
what the response would say (in its language), so it changes exactly when the content does."""

import hashlib

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description="The ETag of the copy you have: 304 Not Modified when it is still current.")
ETAG_HEADER = OpenApiParameter(
    "ETag", OpenApiTypes.STR, location=OpenApiParameter.HEADER, response=[200, 304],
    description="Validator of this response: send it back in If-None-Match.")
NOT_MODIFIED = OpenApiResponse(description="Not modified: your copy (If-None-Match) is current.")
MAX_AGE = 300


def _matches(header: str, etag: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    return "*" in candidates or etag in candidates or f"W/{etag}" in candidates


def with_etag(request, response: Response) -> Response:
    """Give a successful JSON response its ETag, and turn it into 304 when the client's copy is
    current. The JSON rendered for the ETag is kept on the response as `rendered_json`."""
    if response.status_code != 200:
        return response
    content = JSONRenderer().render(response.data)
    language = response.get("Content-Language", "") or getattr(request, "LANGUAGE_CODE", "")
    etag = '"{}"'.format(hashlib.sha256(language.encode() + b"\0" + content).hexdigest()[:32])
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = Response(status=304, headers=headers)
    else:
        for key, value in headers.items():
            response[key] = value
    response.rendered_json = content
    patch_vary_headers(response, ["Accept-Language", "Authorization"])
    return response


def kept_response(request, content: bytes, etag: str) -> HttpResponse:
    """The response `with_etag` gives, for a JSON body rendered before (and kept), with its
    ETag: the same headers, 304 when the client's copy is current."""
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304, headers=headers)
        del response["Content-Type"]  # as DRF's 304: no body, no type
    else:
        response = HttpResponse(content, content_type="application/json", headers=headers)
    patch_vary_headers(response, ["Accept-Language", "Authorization"])
    return response
