"""The root URLs: every app's pages in one tree. Composition, so it lives in the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.v1 import api as api_v1
from attestation.accounts import staff_views
from attestation.accounts.oidc import SignOnCallbackView, SignOnStartView
from attestation.accounts.views import PortalLoginView, accept_invitation, single_sign_on_edit
from attestation.core import views as core_views
from attestation.institutions import urls as institution_urls
from commissions import urls as commission_urls
from commissions.views import invite_member
from exams import urls as exam_urls
from portal import views

# Pages that put several apps together are composed here, under the namespace of the app they belong to: the
# department's page (its commissions and their preparation) and the student's calendar file (slots and webinars).
institution_patterns = [
    path("departments/<int:pk>/", views.department_detail, name="department"),
    *institution_urls.urlpatterns,
]
# The secretary's desk for today shows the live sitting through several apps: composed here, in the exams namespace.
exam_patterns = [
    path("today/", views.today, name="today"),
    path("today/sittings/<int:pk>/", views.today, name="today_sitting"),
    path("today/sittings/<int:pk>/live/", views.today_live, name="today_live"),
    *exam_urls.urlpatterns,
]
commission_patterns = [
    path("my/schedule.ics", views.schedule_ics, name="my_schedule_ics"),
    *commission_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", core_views.health_page, name="health"),
    path("ping/", core_views.ping, name="ping"),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/invitation/<str:token>/", accept_invitation, name="accept_invitation"),
    path("accounts/sso/callback/", SignOnCallbackView.as_view(), name="oidc_authentication_callback"),
    path("accounts/sso/<str:short_name>/", SignOnStartView.as_view(), name="oidc_start"),
    path("accounts/staff-invitation/<str:token>/", staff_views.accept_staff_invitation, name="accept_staff_invitation"),
    path("institutions/<int:pk>/sign-on/", single_sign_on_edit, name="single_sign_on"),
    path("institutions/new/", staff_views.institution_new, name="institution_new"),
    path("institutions/<int:pk>/staff/", staff_views.staff_page, name="staff"),
    path("staff-invitations/<int:pk>/resend/", staff_views.staff_invitation_resend, name="staff_invitation_resend"),
    path("staff-invitations/<int:pk>/revoke/", staff_views.staff_invitation_revoke, name="staff_invitation_revoke"),
    path("commissions/<int:commission_pk>/invite/<int:user_pk>/", invite_member, name="invite_member"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include((institution_patterns, institution_urls.app_name))),
    path("", include((commission_patterns, commission_urls.app_name))),
    path("", include((exam_patterns, exam_urls.app_name))),
    path("proctoring/", include("proctoring.urls")),
    path("appeals/", include("appeals.urls")),
    path("admission/", include("exams.admission.urls")),
    path("applications/", include("exams.applications.urls")),
    path("preparation/", include("exams.preparation.urls")),
    path("yearend/", include("exams.yearend.urls")),
    path("api/v1/", api_v1.urls),
    path("", include("api.urls")),
]
# No route serves MEDIA_ROOT, in any mode: stored files go out only through the permission-checked download views.

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
