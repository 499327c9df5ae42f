"""The REST API under /api/: one router for every app's resources, the schema and its docs."""

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from core.api import DepartmentViewSet, UserViewSet, api_not_found
from core.tokens import TokenLoginView, TokenLogoutAllView, TokenLogoutView
from dispatch.api import MeetingViewSet, ReportViewSet, SupervisionTaskViewSet
from dispatch.dashboard.api import DashboardView
from imports.api import ImportBatchViewSet
from ledgers.api import (
    DeliveryRecordViewSet,
    FundingRecordViewSet,
    InspectionViewSet,
    ProblemViewSet,
    ProgressReportViewSet,
)
from ledgers.photos.api import PhotoViewSet
from petitions.api import PetitionViewSet
from projects.api import CompanyViewSet, MilestoneViewSet, ProjectViewSet, TaskForceViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("companies", CompanyViewSet, basename="company")
router.register("task-forces", TaskForceViewSet, basename="task-force")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("problems", ProblemViewSet, basename="problem")
router.register("funding-records", FundingRecordViewSet, basename="funding-record")
router.register("deliveries", DeliveryRecordViewSet, basename="delivery")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("photos", PhotoViewSet, basename="photo")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("tasks", SupervisionTaskViewSet, basename="task")
router.register("reports", ReportViewSet, basename="report")
router.register("imports", ImportBatchViewSet, basename="import")
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenLoginView.as_view(), name="token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="logout"),
    path("auth/logout-all/", TokenLogoutAllView.as_view(), name="logout_all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP runs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    *router.urls,
    re_path(r"^[\s\S]*$", api_not_found),  # any path, newlines included
]
