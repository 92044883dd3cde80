from django.urls import path

from sen.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ioc, name="ioc"),
    path("qua-han/", views.overdue, name="overdue"),
]
