from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index_view, name="index"),
    path("template.xlsx", views.import_template_view, name="template"),
    path("<int:pk>/", views.import_detail_view, name="detail"),
    path("<int:pk>/status.json", views.import_status_view, name="status"),
    path("<int:pk>/apply/", views.import_apply_view, name="apply"),
    path("<int:pk>/as-of/", views.import_as_of_view, name="as_of"),
    path("<int:pk>/undo/", views.import_undo_view, name="undo"),
    path("<int:pk>/errors.xlsx", views.import_errors_view, name="errors"),
]
