from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

admin.site.site_header = "Werkplek – beheer"
admin.site.site_title = "Werkplek"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("beheer/", admin.site.urls),
    path("api/", include("werkplek.api.urls")),
    path("account/", include("werkplek.accounts.urls")),
    path("zelfscan/", include("werkplek.selfscan.urls")),
    path("aanvragen/", include("werkplek.applications.urls")),
    path("erkenningen/", include("werkplek.recognitions.urls")),
    path("beroepen/", include("werkplek.appeals.urls")),
    path("overeenkomsten/", include("werkplek.agreements.urls")),
    path("kennisgevingen/", include("werkplek.notices.urls")),
    path("", include("werkplek.register.urls")),
    path("", include("werkplek.enterprises.urls")),
    path("", include("werkplek.catalog.urls")),
    path("", include("werkplek.core.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "werkplek.core.views.permission_denied"
handler404 = "werkplek.core.views.page_not_found"
handler500 = "werkplek.core.views.server_error"
