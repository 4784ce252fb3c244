from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("chi-tieu/", views.indicators, name="indicators"),
    path("chi-tieu/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("du-an/", views.projects, name="projects"),
    path("du-an/<slug:code>/", views.project_detail, name="project_detail"),
    path("nhiem-vu/", views.tasks, name="tasks"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("don-vi/", views.units, name="units"),
    path("don-vi/<slug:code>/", views.unit_detail, name="unit_detail"),
]
