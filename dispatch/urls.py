from django.urls import include, path

from dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.index, name="index"),
    path("", include("dispatch.report_urls")),
]
