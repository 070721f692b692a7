from django.urls import path

from knowledge import views, views_wiki

app_name = "knowledge"

# The wiki: its own pages first, then pages by slug (titles may not take the reserved slugs).
wiki_urlpatterns = [
    path("wiki/", views_wiki.wiki_index, name="wiki"),
    path("wiki/new/", views_wiki.wiki_new, name="wiki-new"),
    path("wiki/changes/", views_wiki.wiki_changes, name="wiki-changes"),
    path("wiki/protected/", views_wiki.wiki_protected, name="wiki-protected"),
    path("wiki/<str:slug>/", views_wiki.wiki_page, name="wiki-page"),
    path("wiki/<str:slug>/edit/", views_wiki.wiki_edit, name="wiki-edit"),
    path("wiki/<str:slug>/history/", views_wiki.wiki_history, name="wiki-history"),
    path("wiki/<str:slug>/diff/", views_wiki.wiki_diff, name="wiki-diff"),
    path("wiki/<str:slug>/links/", views_wiki.wiki_backlinks, name="wiki-backlinks"),
    path("wiki/<str:slug>/protect/", views_wiki.wiki_protect, name="wiki-protect"),
    path(
        "wiki/<str:slug>/revisions/<int:number>/",
        views_wiki.wiki_revision,
        name="wiki-revision",
    ),
    path(
        "wiki/<str:slug>/revisions/<int:number>/revert/",
        views_wiki.wiki_revert,
        name="wiki-revert",
    ),
]

# Documents: stable URLs by number (`documents/<pk>/`).
urlpatterns = [
    path("", views.index, name="index"),
    path("academic/", views.academic, name="academic"),
    path("documents/", views.search, name="search"),
    path("documents/new/", views.document_new, name="document-new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("documents/<int:pk>/files/<int:file_pk>/", views.document_file, name="document-file"),
    path(
        "documents/<int:pk>/files/<int:file_pk>/retry/",
        views.document_file_retry,
        name="document-file-retry",
    ),
    path(
        "documents/<int:pk>/files/<int:file_pk>/delete/",
        views.document_file_delete,
        name="document-file-delete",
    ),
    path("documents/<int:pk>/publish/", views.good_practice_publish, name="good-practice-publish"),
    path("documents/<int:pk>/return/", views.good_practice_return, name="good-practice-return"),
    path("good-practices/", views.good_practices, name="good-practices"),
    path("good-practices/new/", views.good_practice_new, name="good-practice-new"),
]

urlpatterns += wiki_urlpatterns
