from pacte.governance.views import calendar, committees, concertation, meetings

app_name = "governance"
urlpatterns = committees.urlpatterns + meetings.urlpatterns + calendar.urlpatterns + concertation.urlpatterns

# The regional roadmaps (feuilles-de-route/…).
from pacte.governance.views import roadmap  # noqa: E402

urlpatterns += roadmap.urlpatterns
