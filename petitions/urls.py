from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list_view, name="list"),
]
