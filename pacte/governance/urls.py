from pacte.governance.views import calendar, committees, concertation, meetings

app_name = "governance"
urlpatterns = committees.urlpatterns + meetings.urlpatterns + calendar.urlpatterns + concertation.urlpatterns
