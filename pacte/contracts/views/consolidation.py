"""Views of the contracts app (consolidation)."""

urlpatterns: list = []
