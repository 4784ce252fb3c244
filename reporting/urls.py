from django.urls import path, register_converter

from . import views


class RowKindConverter:
    regex = "nhiem-vu|du-an|chi-tieu"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RowKindConverter, "rowkind")

app_name = "reporting"

unit = "<int:year>/<int:quarter>/<slug:unit_code>/"

urlpatterns = [
    path("cua-don-vi/", views.my_report, name="my_report"),
    path("tinh-hinh/", views.overview_current, name="overview"),
    path("tinh-hinh/<int:year>/<int:quarter>/", views.overview, name="overview_period"),
    path(unit, views.unit_report, name="unit_report"),
    path(unit + "<rowkind:kind>/<int:pk>/", views.row_save, name="row_save"),
    path(unit + "<rowkind:kind>/<int:pk>/lich-su/", views.row_history, name="row_history"),
    path(unit + "gui/", views.report_submit, name="submit"),
    path(unit + "duyet/", views.report_approve, name="approve"),
    path(unit + "tra-lai/", views.report_return, name="return"),
    path(unit + "mo-lai/", views.report_reopen, name="reopen"),
]
