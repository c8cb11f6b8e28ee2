from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("nieuw/", views.start, name="start"),
    path("behandeling/", views.handler_queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vestiging/", views.unit, name="unit"),
    path("<int:pk>/vestiging/nieuw/", views.new_unit, name="new_unit"),
    path("<int:pk>/opleiding/", views.programme, name="programme"),
    path("<int:pk>/activiteiten/", views.activities, name="activities"),
    path("<int:pk>/werkplek/", views.workplace, name="workplace"),
    path("<int:pk>/mentoren/", views.mentors, name="mentors"),
    path("<int:pk>/mentoren/toevoegen/", views.mentor, name="add_mentor"),
    path("<int:pk>/mentoren/<int:entry_id>/", views.mentor, name="mentor"),
    path("<int:pk>/mentoren/<int:entry_id>/verwijderen/", views.remove_mentor,
         name="remove_mentor"),
    path("<int:pk>/verklaring/", views.declaration, name="declaration"),
    path("<int:pk>/machtiging/", views.mandate, name="mandate"),
    path("<int:pk>/verklaring.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("<int:pk>/documenten/<int:document_id>/", views.document, name="document"),
    path("<int:pk>/controleren/", views.check, name="check"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<int:pk>/volledig/", views.mark_complete, name="mark_complete"),
    path("<int:pk>/aanvulling-vragen/", views.request_completion, name="request_completion"),
    path("<int:pk>/aanvullen/", views.complete, name="complete"),
]
