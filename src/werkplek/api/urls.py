"""/api/: the OpenAPI schema, its documentation, and version 1 of the API."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import agreements, applications, backoffice, catalog, recognitions, register


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), under the site's content
    security policy: no inline script or style."""

    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response.data["schema_url"] = self._get_schema_url(request)
        return response


app_name = "api"

v1 = [
    path("programmes/", catalog.ProgrammeList.as_view(), name="programme-list"),
    path("programmes/<slug:code>/", catalog.ProgrammeDetail.as_view(), name="programme-detail"),
    path("partnerships/", catalog.PartnershipList.as_view(), name="partnership-list"),
    path("partnerships/<slug:code>/", catalog.PartnershipDetail.as_view(),
         name="partnership-detail"),
    path("register/", register.RegisterList.as_view(), name="register-list"),
    path("register/<int:pk>/", register.RegisterDetail.as_view(), name="register-detail"),
    *applications.urlpatterns,
    *backoffice.urlpatterns,
    *recognitions.urlpatterns,
    *agreements.urlpatterns,
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1)),
]
