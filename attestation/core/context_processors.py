from django.utils.functional import SimpleLazyObject

from attestation.core.roles import roles_for


def navigation(request):
    """The person's roles, loaded only if a template asks for them."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    if not hasattr(request, "_roles"):
        request._roles = SimpleLazyObject(lambda: roles_for(user))
    return {"roles": request._roles}
