"""The public register of recognised workplaces and its open data: anonymous, read-only.

Thin views: the query parameters are parsed by a form, the reads are in `selectors` and
`exports`, the page or file is returned. No page or file shows personal data: no mentors,
no learners, no national register numbers."""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from werkplek.core.pagecache import anonymous_page
from werkplek.core.ratelimit import ratelimit

from . import exports, selectors
from .forms import RegisterSearchForm

PAGE_SIZE = 25
# The sort orders in the URL (Dutch, like the other query parameters) and their labels.
SORT_SLUGS = {"enterprise": "onderneming", "municipality": "gemeente",
              "programme": "opleiding", "distance": "afstand"}
SORT_LABELS = {"enterprise": _("enterprise"), "municipality": _("municipality"),
               "programme": _("programme"), "distance": _("distance")}
FILTERS = ("opleiding", "plaats", "straal", "provincie", "partnerschap", "sector")


# A public page of the register, kept whole for anonymous visitors until the register changes
# (werkplek.core.pagecache); a kept page is served only while every recognition it shows is
# still in force.
def register_page(*, parameters=()):
    return anonymous_page(version_key=selectors.VERSION_KEY, version=selectors.cache_version,
                          still_shown=selectors.all_in_force, parameters=frozenset(parameters))


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    query = urlencode({key: value for key, value in merged.items() if value})
    return f"?{query}" if query else "?"


@require_safe
@ratelimit("register")
@register_page(parameters=(*FILTERS, "sorteer", "pagina"))
def search(request):
    """Search the recognised workplaces: by programme (part of its name), place and radius or
    province, partnership and sector; 25 per page, sortable.

    Query parameters: the form's fields, `sorteer` (onderneming, gemeente, opleiding, afstand;
    afstand only with a place, and then the default) and `pagina`. A field with a wrong value
    (an unknown place) is shown as an error above the form, the other fields keep their input,
    and no results are shown until it is put right."""
    today = timezone.localdate()
    form = RegisterSearchForm(request.GET)
    valid = form.is_valid()
    near = form.postal_codes if valid else None
    requested = request.GET.get("sorteer", "")
    sort = next((key for key, slug in SORT_SLUGS.items() if slug == requested), None)
    if sort is None or (sort == "distance" and near is None):
        sort = "distance" if near is not None else "enterprise"

    kept = {name: request.GET.get(name, "").strip() for name in FILTERS
            if name not in form.errors}
    if not kept.get("plaats"):
        kept.pop("straal", None)  # a radius means nothing without a place
    params = {**kept, "sorteer": SORT_SLUGS[sort] if requested else ""}

    sorts = [{"label": SORT_LABELS[key], "current": key == sort,
              "url": _url(params, sorteer=slug, pagina="")}
             for key, slug in SORT_SLUGS.items() if key != "distance" or near is not None]
    context = {
        "form": form, "page": None, "sorts": sorts, "sort": sort,
        "sort_param": params["sorteer"], "place": form.place if valid else None,
        "radius": form.cleaned_data.get("straal") if valid else None,
        "filtered": any(kept.get(name) for name in FILTERS if name != "straal"),
    }
    if valid:
        arguments = {"sort": sort, **form.filters()}
        recognitions = selectors.SearchResults(selectors.search(today=today, **arguments),
                                               today=today, search=arguments)
        page = Paginator(recognitions, PAGE_SIZE).get_page(request.GET.get("pagina"))
        page.object_list = list(page.object_list)
        context["page"] = page
        context["results"] = _results(request, recognitions, page, params, near, context)
    response = render(request, "register/search.html", context)
    response.shown_ids = [recognition.pk for recognition in page.object_list] if valid else []
    response.keep = valid  # a search with an error is not kept
    return response


def _results(request, recognitions, page, params: dict, near, context: dict) -> str:
    """The rendered list of results of one page of a search.

    Rendering 25 results is most of a search's time, and the same searches come back often: the
    list is kept in the cache with the ids of its rows, under the search's key (its filters,
    sort, day, language and the register's version) and what else it shows (this page, the
    links' parameters, the place). It is used only for exactly the rows just read, which are
    always read fresh and in force: a recognition withdrawn meanwhile is never shown, even
    from the cache; any other change to what a result shows bumps the register's version."""
    ids = [recognition.pk for recognition in page.object_list]
    shown = repr((urlencode(params), context["place"].label if context["place"] else "",
                  context["radius"]))  # free text: hashed into the key
    key = recognitions.cache_key("html", page.number,
                                 hashlib.sha256(shown.encode()).hexdigest()[:32])
    kept = cache.get(key)
    if kept is not None and kept[0] == ids:
        return kept[1]
    for recognition in page.object_list:
        recognition.contact = selectors.contact_for(recognition)
        recognition.distance_km = near.get(recognition.unit.postal_code) \
            if near is not None else None
    pages = [{"number": number,
              "url": _url(params, pagina=number) if isinstance(number, int) else "",
              "current": number == page.number}
             for number in page.paginator.get_elided_page_range(
                 page.number, on_each_side=2, on_ends=1)]
    html = render_to_string("register/_results.html", {
        **context, "pages": pages,
        "previous_url": _url(params, pagina=page.previous_page_number())
        if page.has_previous() else "",
        "next_url": _url(params, pagina=page.next_page_number()) if page.has_next() else "",
    }, request)
    cache.set(key, (ids, html), selectors.CACHE_TIMEOUT)
    return html


@require_safe
@ratelimit("register")
@register_page()
def workplace(request, pk: int):
    """One recognised workplace: the enterprise, the establishment unit, the programme and its
    sector, the partnership, the validity and how to get in touch. 404 when the recognition is
    not in force today (withdrawn, expired, not started yet, or unknown)."""
    today = timezone.localdate()
    recognition = selectors.workplace(pk, today=today)
    if recognition is None:
        raise Http404
    others = selectors.other_programmes(recognition, today=today)
    response = render(request, "register/workplace.html", {
        "recognition": recognition,
        "contact": selectors.contact_for(recognition),
        "others": others,
    })
    response.shown_ids = [recognition.pk, *(other.pk for other in others)]
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def programme_suggestions(request):
    """The names of the programmes on offer, in the active language, as a JSON list: the
    suggestions of the programme field of the search (a `<datalist>` filled by a script)."""
    response = JsonResponse(selectors.programme_names(), safe=False,
                            json_dumps_params={"ensure_ascii": False})
    # The language comes from the language cookie or the browser's preference.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_safe
@ratelimit("register")
def open_data(request):
    """What the open data holds, its licence and date, and every column of the files."""
    today = timezone.localdate()
    return render(request, "register/open_data.html", {
        "today": today, "count": selectors.count_in_force(today=today),
        "columns": exports.COLUMNS, "licence_name": exports.LICENCE_NAME,
        "licence_url": exports.LICENCE_URL,
        "csv_name": exports.file_name("csv", today=today),
        "json_name": exports.file_name("json", today=today),
    })


def _download(chunks, *, content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@ratelimit("export")
def export_csv(request):
    """The register of recognitions in force today as CSV (UTF-8, comma-separated, a header
    row), streamed."""
    today = timezone.localdate()
    return _download(exports.csv_chunks(today=today), content_type="text/csv; charset=utf-8",
                     name=exports.file_name("csv", today=today))


@require_safe
@ratelimit("export")
def export_json(request):
    """The register of recognitions in force today as a JSON array of objects, streamed."""
    today = timezone.localdate()
    return _download(exports.json_chunks(today=today),
                     content_type="application/json; charset=utf-8",
                     name=exports.file_name("json", today=today))
