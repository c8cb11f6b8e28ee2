from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    # The enterprise's agreements (per unit and mentor, with capacity left), or the coach's
    # (their learners'): one list, by who is looking.
    path("", views.agreement_list, name="list"),
    path("beheer/", views.handler_list, name="handler_list"),
    # Registering: choose the recognised workplace (the coach searches it), then the form.
    path("nieuw/", views.choose_workplace, name="choose_workplace"),
    path("nieuw/<int:recognition_id>/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<int:pk>/beeindigen/", views.end, name="end"),
    path("<int:pk>/mentor/", views.change_mentor, name="change_mentor"),
    path("<int:pk>/rijksregisternummer/", views.reveal, name="reveal"),
]
