from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/yeu-cau/", views.request_review, name="request"),
    path("<int:year>/noi-dung/", views.narratives, name="narratives"),
    path("<int:year>/noi-dung/<str:part>/", views.narrative_edit, name="narrative_edit"),
    path("ban/<int:pk>/trang-thai/", views.job_status, name="job_status"),
    path("ban/<int:pk>/tai-ve/", views.download, name="download"),
    path("ban/<int:pk>/chay-lai/", views.retry_job, name="retry"),
]
