"""Background tasks of the wiki (django.tasks; `manage.py units_run_worker` runs them)."""

from django.tasks import task


@task()
def render_pages_linking_to(*, title: str) -> int:
    """Render again the pages whose `[[links]]` waited for the new page `title`; returns how
    many were rendered."""
    from knowledge import wiki

    return wiki.pages_linking_to_render(title=title)
