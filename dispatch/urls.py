from django.urls import include, path

from dispatch import meeting_views, views

app_name = "dispatch"
urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", meeting_views.meeting_list_view, name="meeting_list"),
    path("meetings/new/", meeting_views.meeting_form_view, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail_view, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_form_view, name="meeting_edit"),
    path("tasks/", views.task_list_view, name="task_list"),
    path("tasks/new/", views.task_create_view, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail_view, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit_view, name="task_edit"),
    path("tasks/<int:pk>/<str:step>/", views.task_step_view, name="task_step"),
    path("unreported/", views.unreported_view, name="unreported"),
    path("reminders/send/", views.reminders_send_view, name="reminders_send"),
    path("", include("dispatch.report_urls")),
]
