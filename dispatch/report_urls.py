from django.urls import path

from dispatch import report_views as views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/generate/", views.report_generate_now, name="report_generate"),
    path("reports/market/", views.market_figures, name="market_figures"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/remark/", views.report_comment, name="report_comment"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("reports/<int:pk>/document/", views.report_document_download, name="report_document"),
    path("reports/<int:pk>/brief/", views.report_brief, name="report_brief"),
]
