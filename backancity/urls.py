from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị — Theo dõi Nghị quyết 29-NQ/TU")
admin.site.site_title = _("Quản trị backancity")
admin.site.index_title = _("Danh mục và số liệu")

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("bao-cao-quy/", include("reporting.urls")),
    path("dieu-hanh/", include("dashboards.urls")),
    path("bao-cao-nam/", include("reviews.urls")),
    path("excel/", include("spreadsheets.urls")),
    path("", include("portal.urls")),
]
