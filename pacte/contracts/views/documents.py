"""Views of the contracts app (documents)."""

urlpatterns: list = []
