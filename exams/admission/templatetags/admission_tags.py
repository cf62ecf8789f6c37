from django import template

from exams.admission import selectors

register = template.Library()


@register.simple_tag
def admission_panel(user, roles) -> dict:
    """What the home page's admission cards need: the theses to review, the programmes to admit."""
    return {
        "theses": list(selectors.theses_for_reviewer(user=user)) if user.is_authenticated else [],
        "programmes": selectors.programmes_for_head(user=user) if roles.departments or roles.admin_of else [],
    }
