from django.urls import path

from ruta.training import verify

app_name = "verify"
urlpatterns = [path("<str:code>/", verify.certificate, name="certificate")]
