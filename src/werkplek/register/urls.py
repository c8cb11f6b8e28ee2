from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    # The public search of recognised workplaces, and one result.
    path("erkende-werkplekken/", views.search, name="search"),
    path("erkende-werkplekken/<int:pk>/", views.workplace, name="workplace"),
    path("erkende-werkplekken/opleidingen.json", views.programme_suggestions,
         name="programme_suggestions"),
    # Open data: what it holds, under which licence; the whole register as CSV and JSON.
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/erkende-werkplekken.csv", views.export_csv, name="export_csv"),
    path("open-data/erkende-werkplekken.json", views.export_json, name="export_json"),
]
