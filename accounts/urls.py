from django.urls import path

from . import views

urlpatterns = [
    path("", views.account, name="account"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("xac-thuc-hai-buoc/", views.two_factor_verify, name="two_factor_verify"),
    path("xac-thuc-hai-buoc/thiet-lap/", views.two_factor_setup, name="two_factor_setup"),
    path("xac-thuc-hai-buoc/tat/", views.two_factor_disable, name="two_factor_disable"),
]
