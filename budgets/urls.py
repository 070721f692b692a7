from django.urls import path

from budgets import views, views_explorer

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("classification/", views.classification, name="classification"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/withdraw/", views.plan_withdraw, name="plan-withdraw"),
    path("plans/<int:pk>/enact/", views.plan_enact, name="plan-enact"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan-return"),
    path("review/", views.review, name="review"),
    path(
        "lao/<str:code>/lines.<str:file_format>",
        views.lao_lines_download,
        name="lao-lines",
    ),
    # The national budget explorer (budgets/views_explorer.py)
    path("explorer/", views_explorer.explorer_page, name="explorer"),
    path(
        "explorer/<slug:table>.<str:file_format>",
        views_explorer.explorer_download,
        name="explorer-download",
    ),
    path("explorer/lao/<str:code>/", views_explorer.explorer_lao_page, name="explorer-lao"),
    path(
        "explorer/lao/<str:code>/plans.<str:file_format>",
        views_explorer.explorer_lao_download,
        name="explorer-lao-download",
    ),
]
