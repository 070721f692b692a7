from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("b/<slug:slug>/", views.board, name="board"),
    path("b/<slug:slug>/feed/", views.board_feed, name="board-feed"),
    path("b/<slug:slug>/new/", views.thread_new, name="thread-new"),
    path("b/<slug:slug>/read/", views.board_read, name="board-read"),
    path("lao/<str:code>/", views.lao_board, name="lao"),
    path("lao/<str:code>/new/", views.lao_thread_new, name="lao-new"),
    path("project/<int:pk>/", views.project_threads, name="project"),
    path("t/<int:pk>/", views.thread, name="thread"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.thread_follow, name="follow"),
    path("t/<int:pk>/move/", views.thread_move, name="thread-move"),
    path("t/<int:pk>/<str:action>/", views.thread_moderate, name="thread-moderate"),
    path("p/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("p/<int:pk>/flag/", views.post_flag, name="post-flag"),
    path("p/<int:pk>/<str:action>/", views.post_moderate, name="post-moderate"),
    path("moderation/", views.queue, name="queue"),
    path("unanswered/", views.unanswered, name="unanswered"),
    path("following/", views.following, name="following"),
    path("following/read/", views.notifications_read, name="notifications-read"),
]
