from django.urls import path

from benchmarks import views, views_completeness, views_voice

app_name = "benchmarks"

urlpatterns = [
    path("", views.index, name="index"),
    path("methodology/", views.methodology, name="methodology"),
    path("ranking/", views.ranking, name="ranking"),
    path("ranking.<str:file_format>", views.ranking_download, name="ranking-download"),
    path("lao/<str:code>/", views.lao_benchmark, name="lao"),
    path("lao/<str:code>/figures.<str:file_format>", views.lao_download, name="lao-download"),
    path("compare/", views.compare, name="compare"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path(
        "indicators/<slug:code>/values.<str:file_format>",
        views.indicator_download,
        name="indicator-download",
    ),
    # The LAO says (explanations) and the national rollup of their reasons.
    path("explanations/", views_voice.explanations, name="explanations"),
    path("explanations/new/", views_voice.explanation_create, name="explanation-create"),
    path("explanations/<int:pk>/", views_voice.explanation_detail, name="explanation"),
    path(
        "explanations/<int:pk>/withdraw/",
        views_voice.explanation_withdraw,
        name="explanation-withdraw",
    ),
    path(
        "explanations/<int:pk>/approve/",
        views_voice.explanation_approve,
        name="explanation-approve",
    ),
    path(
        "explanations/<int:pk>/return/", views_voice.explanation_return, name="explanation-return"
    ),
    path("reasons/", views_voice.reasons, name="reasons"),
    path("reasons.<str:file_format>", views_voice.reasons_download, name="reasons-download"),
    # Question this figure.
    path("questions/", views_voice.questions, name="questions"),
    path("questions/new/", views_voice.question_create, name="question-create"),
    path("questions/<int:pk>/", views_voice.question_detail, name="question"),
    path("questions/<int:pk>/answer/", views_voice.question_answer, name="question-answer"),
    path("questions/<int:pk>/correct/", views_voice.question_correct, name="question-correct"),
    path("questions/<int:pk>/close/", views_voice.question_close, name="question-close"),
    path("questions/<int:pk>/hide/", views_voice.question_hide, name="question-hide"),
    # Completeness of the LAOs' data (back office): the national rollup, a province's list,
    # its reminder list and e-mail reminders.
    path("completeness/", views_completeness.index, name="completeness"),
    path(
        "completeness/<str:code>/",
        views_completeness.province,
        name="completeness-province",
    ),
    path(
        "completeness/<str:code>/reminders.<str:file_format>",
        views_completeness.province_download,
        name="completeness-download",
    ),
    path(
        "completeness/<str:code>/remind/",
        views_completeness.province_remind,
        name="completeness-remind",
    ),
]
