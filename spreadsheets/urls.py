from django.urls import path

from . import views

app_name = "spreadsheets"

urlpatterns = [
    path("", views.index, name="index"),
    path("mau/", views.template, name="template"),
    path("tai-len/", views.upload, name="upload"),
    path("tai-len/<int:pk>/", views.preview, name="preview"),
    path("tai-len/<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("tai-len/<int:pk>/huy/", views.discard, name="discard"),
    path("xuat/", views.export, name="export"),
]
