from django.urls import path

from . import views, views_monitoring

app_name = "recognitions"

urlpatterns = [
    # The enterprise's register, and the partnership's.
    path("", views.register, name="register"),
    path("beheer/", views.handler_register, name="handler_register"),
    path("<int:pk>/", views.detail, name="detail"),
    # The enterprise: renewal, mentors, answers to support actions.
    path("<int:pk>/hernieuwen/", views.renew, name="renew"),
    path("<int:pk>/mentoren/toevoegen/", views.add_mentor, name="add_mentor"),
    path("<int:pk>/mentoren/<int:link_id>/vervangen/", views.replace_mentor,
         name="replace_mentor"),
    path("<int:pk>/mentoren/<int:link_id>/stopzetten/", views.deactivate_mentor,
         name="deactivate_mentor"),
    path("<int:pk>/mentoren/documenten/<int:document_id>/", views.mentor_document,
         name="mentor_document"),
    path("<int:pk>/begeleiding/<int:action_id>/antwoord/", views.answer_support_action,
         name="answer_support_action"),
    # The partnership: monitoring, support actions, sanctions.
    path("<int:pk>/vaststelling/", views_monitoring.record_finding, name="record_finding"),
    path("<int:pk>/begeleiding/", views_monitoring.open_support_action,
         name="open_support_action"),
    path("<int:pk>/begeleiding/<int:action_id>/opvolging/", views_monitoring.follow_up,
         name="follow_up_support_action"),
    path("<int:pk>/sanctie/", views_monitoring.impose_sanction, name="impose_sanction"),
]
