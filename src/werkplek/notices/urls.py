from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("brieven/<int:pk>/", views.letter_download, name="letter"),
    path("brieven/<int:pk>/opnieuw/", views.retry_letter, name="retry_letter"),
    path("verzendingen/<int:pk>/opnieuw/", views.resend, name="resend"),
]
