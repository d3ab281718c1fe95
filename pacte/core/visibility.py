"""Pages that do not exist for a user: the same 404 whether the object is missing or out of the user's
reach, and a sign-in page rather than a 404 for an anonymous visitor who followed a link."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


class Hidden(Http404):
    """A page that does not exist for this user (or at all): the same answer either way."""


def sign_in_when_hidden(view):
    """An anonymous visitor who reaches a hidden page is asked to sign in rather than told it is missing
    (a party following a link while signed out lands on its draft after signing in)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Hidden:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
