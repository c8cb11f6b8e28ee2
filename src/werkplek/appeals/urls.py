from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    # The enterprise: its appeals, and filing one against a refusal or a sanction.
    path("", views.appeal_list, name="list"),
    path("indienen/aanvraag/<int:application_id>/", views.file_against_refusal,
         name="file_refusal"),
    path("indienen/sanctie/<int:sanction_id>/", views.file_against_sanction,
         name="file_sanction"),
    # The appeal committee's queue, and one appeal (for the committee and the enterprise).
    path("commissie/", views.committee_queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/documenten/<int:document_id>/", views.document, name="document"),
    path("<int:pk>/ontvankelijkheid/", views.admissibility, name="admissibility"),
    path("<int:pk>/hoorzitting/", views.hearing, name="hearing"),
    path("<int:pk>/beslissing/", views.decide, name="decide"),
]
