from django.urls import path

from sen.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/nop-ho-so/", views.apply, name="apply"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("tra-cuu/", views.tracking_search, name="tracking_search"),
    path("tra-cuu/<str:code>/", views.tracking, name="tracking"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so-cua-toi/<str:code>/tep/<int:number>/", views.dossier_file, name="dossier_file"),
    path("ho-so-cua-toi/<str:code>/ket-qua/<int:number>/", views.result_file, name="result_file"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
