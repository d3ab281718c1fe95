"""Views of the contracts app (execution)."""

urlpatterns: list = []
