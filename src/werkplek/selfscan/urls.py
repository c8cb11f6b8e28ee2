from django.urls import path

from . import views

app_name = "selfscan"

urlpatterns = [
    path("", views.start, name="start"),
    path("opnieuw/", views.restart, name="restart"),
    path("opleiding/", views.programme, name="programme"),
    path("vestiging/", views.establishment, name="establishment"),
    path("onderneming/", views.workplace, name="workplace"),
    path("activiteiten/", views.activities, name="activities"),
    path("mentor/<int:index>/", views.mentor, name="mentor"),
    path("mentor/<int:index>/verwijderen/", views.remove_mentor, name="remove_mentor"),
    path("mentoren/", views.mentors, name="mentors"),
    path("aanvraag/", views.application, name="application"),
    path("resultaat/", views.result, name="result"),
    path("hulp/", views.ask_help, name="help"),
    path("hulp/verstuurd/", views.help_sent, name="help_sent"),
    path("start-aanvraag/", views.start_application, name="start_application"),
    path("bewaren/", views.carry, name="carry"),
]
