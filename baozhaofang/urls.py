from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "保交房工作专班管理平台 · 系统管理"
admin.site.site_title = "保交房平台管理"
admin.site.index_title = "系统管理"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("core.urls")),
    path("", include("dispatch.dashboard.urls")),
    path("projects/", include("projects.urls")),
    path("petitions/", include("petitions.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("import/", include("imports.urls")),
    path("api/", include("baozhaofang.api_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
