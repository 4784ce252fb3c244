from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from ops import views as ops_views

admin.site.site_header = _("Quản trị — Theo dõi Nghị quyết 29-NQ/TU")
admin.site.site_title = _("Quản trị backancity")
admin.site.index_title = _("Danh mục và số liệu")
# One way in: the admin's own log-in page hands over to the portal's (lock-out, two-factor).
admin.site.login = login_not_required(RedirectView.as_view(url=reverse_lazy("login"), query_string=True))

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("accounts.urls")),
    path("quan-tri/", admin.site.urls),
    path("bao-cao-quy/", include("reporting.urls")),
    path("dieu-hanh/", include("dashboards.urls")),
    path("bao-cao-nam/", include("reviews.urls")),
    path("excel/", include("spreadsheets.urls")),
    path("", include("portal.urls")),
]
