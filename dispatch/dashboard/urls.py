"""工作台 at the site's root and the dashboard, under their names of old (no namespace)."""

from django.urls import path

from dispatch.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
