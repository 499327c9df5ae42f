from django.urls import path

from ledgers import views as ledger_views
from ledgers.photos import views as photo_views
from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("export.xlsx", views.project_export_view, name="export"),
    path("search.json", views.project_search_view, name="search"),
    path("new/", views.project_create_view, name="create"),
    path("week/", ledger_views.week_view, name="week"),
    path("columns/", views.columns_view, name="columns"),
    path("photos/<uuid:uid>/delete/", photo_views.photo_delete_view, name="photo_delete"),
    path("photos/<uuid:uid>/<str:variant>/", photo_views.photo_view, name="photo"),
    path("companies/new/", views.company_create_view, name="company_create"),
    path("filters/", views.saved_filter_create_view, name="filter_create"),
    path("filters/<int:filter_id>/delete/", views.saved_filter_delete_view, name="filter_delete"),
    path("<int:pk>/", views.project_detail_view, name="detail"),
    path("<int:pk>/edit/", views.project_edit_view, name="edit"),
    path("<int:pk>/milestones/new/", views.milestone_form_view, name="milestone_create"),
    path(
        "<int:pk>/milestones/<int:milestone_id>/edit/",
        views.milestone_form_view,
        name="milestone_edit",
    ),
    path("<int:pk>/<str:kind>/new/", ledger_views.entry_form_view, name="entry_create"),
    path(
        "<int:pk>/<str:kind>/<int:entry_id>/edit/",
        ledger_views.entry_form_view,
        name="entry_edit",
    ),
    path(
        "<int:pk>/<str:kind>/<int:entry_id>/delete/",
        ledger_views.entry_delete_view,
        name="entry_delete",
    ),
]
