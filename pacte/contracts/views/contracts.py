"""Views of the contracts app (contracts)."""

urlpatterns: list = []
