from django.urls import include, path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    # Officers (their LAO), provincial staff and admins (their scope); executives read.
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.project_create, name="project-new"),
    path("manage/<int:pk>/", views.manage_project, name="manage-project"),
    path("manage/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("manage/<int:pk>/stage/", views.project_stage, name="project-stage"),
    path("manage/<int:pk>/disburse/", views.project_disburse, name="project-disburse"),
    path("manage/<int:pk>/progress/", views.project_progress, name="project-progress"),
    path("manage/plans/", views.plan_list, name="plans"),
    path("manage/plans/new/", views.plan_create, name="plan-new"),
    path("manage/plans/<int:pk>/", views.plan_edit, name="plan-edit"),
    # Citizens (no login); following needs an account.
    path("lao/<str:code>/", views.lao_projects, name="lao"),
    path("lao/<str:code>/follow/", views.lao_follow, name="lao-follow"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/follow/", views.project_follow, name="follow"),
    path("following/", views.following, name="following"),
    path("following/read/", views.notifications_read, name="notifications-read"),
    # Quarterly progress reports (projects/views_reports.py)
    path("reports/", include("projects.urls_reports")),
    # The executive dashboard (projects/views_dashboard.py)
    path("dashboard/", include("projects.urls_dashboard")),
]
