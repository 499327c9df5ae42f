from django.urls import path

from petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list_view, name="list"),
    path("export.xlsx", views.petition_export_view, name="export"),
    path("new/", views.petition_register_view, name="register"),
    path("duplicates/", views.duplicates_view, name="duplicates"),
    path("<int:pk>/", views.petition_detail_view, name="detail"),
    path("<int:pk>/<str:action>/", views.petition_action_view, name="action"),
    path("<int:pk>/documents/<str:kind>/", views.petition_document_view, name="document"),
    path(
        "<int:pk>/documents/<str:kind>/docx/",
        views.petition_document_docx_view,
        name="document_docx",
    ),
]
