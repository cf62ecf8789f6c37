from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache, caches
from django.db import transaction

from attestation.core.cache import NOT_READ, take_read_ahead, write_soon
from attestation.core.prepared import PreparedQuery
from attestation.core.student_pages import read_with_page, student_pages_changed

# How long a signed-in person is served from the shared cache at most; every save of the person ends it at once.
USER_CACHE_SECONDS = 300
# After a change, the person is not cached again for this long, so a request that read the old row before the
# change committed cannot put it back (it adds only where nothing, not even this marker, is stored).
_CHANGED = "changed"
_CHANGED_SECONDS = 5


# The person read on a cache miss (a cold visit: one per person and 5 min), built and compiled once per process.
_PERSON = PreparedQuery(lambda user_id: get_user_model()._default_manager.filter(pk=user_id))


def _user_key(user_id) -> str:
    return f"user:{user_id}"


read_with_page(_user_key)  # a student page's miss reads the person next: read with the page's lookup


def user_forget(user_id) -> None:
    """The person is read from the database again on their next request: now and after the transaction commits."""
    if not settings.CACHED_USERS:
        return
    cache.set(_user_key(user_id), _CHANGED, _CHANGED_SECONDS)
    transaction.on_commit(lambda: cache.set(_user_key(user_id), _CHANGED, _CHANGED_SECONDS))


class CachedUserMixin:
    """The signed-in person of each request read from the shared cache, not the database (the session's password
    hash is still checked against it by Django). Off without a shared cache: a per-process copy would outlive a
    change made in another process."""

    def get_user(self, user_id):
        if not settings.CACHED_USERS:
            return super().get_user(user_id)  # type: ignore[misc]
        key = _user_key(user_id)
        cached = take_read_ahead(key)  # read with the student's page, a moment ago in this request
        if cached is NOT_READ:
            cached = cache.get(key)
        if cached is not None and not isinstance(cached, str):
            return cached
        user = self._from_database(user_id)
        if user is not None and cached is None:  # on a student's page: stored with the page (cache.write_behind)
            write_soon(caches["default"], key, user, USER_CACHE_SECONDS, only_if_missing=True)
        return user

    def _from_database(self, user_id):
        """ModelBackend.get_user's read, the query compiled once: the person, if they may sign in (active)."""
        found = _PERSON.list(int(user_id))
        return found[0] if found and self.user_can_authenticate(found[0]) else None  # type: ignore[attr-defined]


class UsernameOrEmailBackend(CachedUserMixin, ModelBackend):
    """Log in with either the username or the e-mail (case-insensitive)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        users = get_user_model()._default_manager
        field = "email__iexact" if "@" in username else "username"
        user = users.filter(**{field: username}).first()
        if user is None:
            users.model().set_password(password)  # equalise timing with a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def forget_saved_user(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a person (connected in apps.py): their name and language are on their cached
    pages too."""
    user_forget(instance.pk)
    student_pages_changed(instance.pk)
