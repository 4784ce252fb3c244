from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views
from accounts.forms import LoginForm
from ops import views as ops_views

admin.site.site_header = _("Quản trị — Theo dõi Nghị quyết 29-NQ/TU")
admin.site.site_title = _("Quản trị backancity")
admin.site.index_title = _("Danh mục và số liệu")
# One way in: the admin's own log-in page hands over to the portal's (lock-out, two-factor),
# and refuses people signed in without staff access instead of sending them round in circles.
admin.site.login = accounts_views.admin_login

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("accounts.urls")),
    path("quan-tri/", admin.site.urls),
    path("bao-cao-quy/", include("reporting.urls")),
    path("dieu-hanh/", include("dashboards.urls")),
    path("bao-cao-nam/", include("reviews.urls")),
    path("excel/", include("spreadsheets.urls")),
    path("", include("portal.urls")),
]
