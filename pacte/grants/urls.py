from pacte.grants.views import agreements, applications, calls, public

app_name = "grants"
urlpatterns = calls.urlpatterns + applications.urlpatterns + agreements.urlpatterns + public.urlpatterns
