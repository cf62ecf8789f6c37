"""Error pages (400, 403, 404, 500, CSRF failure) in the portal's layout and the user's language.

The language is the one LocaleMiddleware chose for the request (the user's cookie or browser). A 500 page must not
fail itself: if the layout cannot be rendered (the database is down, say), a plain page in the same language is.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, text: str):
    context = {"status": status, "title": title, "text": text}
    try:
        return render(request, "portal/error.html", context, status=status)
    except Exception:  # noqa: BLE001 - the error page itself must answer, even without the database
        return HttpResponse(loader.get_template("portal/error_plain.html").render(context), status=status)


def bad_request(request, exception=None):
    return _page(request, 400, _("Bad request"), _("The request could not be understood. Go back and try again."))


def permission_denied(request, exception=None):
    return _page(request, 403, _("Access denied"), _("You have no access to this page."))


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Page not found"),
        _("There is no such page, or it is not open to you. Check the address or start from the home page."),
    )


def server_error(request):
    return _page(
        request,
        500,
        _("Something went wrong"),
        _("The portal could not complete the request. It has been recorded; try again in a few minutes."),
    )


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("The form has expired"),
        _("The page was open too long or in another window. Reload the page and send the form again."),
    )
