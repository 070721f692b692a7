"""Pages of the upload machinery (mounted under /units/uploads/ in the `units` namespace)."""

urlpatterns = []
