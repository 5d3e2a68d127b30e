from django.urls import URLPattern, URLResolver, path

from ruta.cases import step_views, views

app_name = "cases"

_WITH_TARGET = {"consent_withdraw", "member_remove", "follow_up_done"}

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list_view, name="list"),
    path("open/", views.case_open_view, name="open"),
    path("my-work/", views.my_work_view, name="my_work"),
    path("team-work/", views.team_work_view, name="team_work"),
    path("<str:reference>/", views.case_detail_view, name="detail"),
    path("<str:reference>/plan/", step_views.plan_edit_view, name="plan"),
]
urlpatterns += [
    path(
        f"<str:reference>/{name.replace('_', '-')}/" + ("<int:pk>/" if name in _WITH_TARGET else ""),
        view,
        name=name,
    )
    for name, view in step_views.STEP_VIEWS.items()
]
