"""`{% layout %}…{% endlayout %}`: a part of the portal's layout (templates/base.html: the head, the menu, the
language switcher, the footer) rendered once per process for each language, script prefix and kind of visitor, and
then only filled in on each request (issue 18: rendering the layout was ~0.6 ms of a student's page built on a miss,
a quarter of it).

What a part shows of the request is spliced in on every render, never kept: the person's name
(`user.display_name`), the CSRF token of its forms (`{% csrf_token %}`) and the page's own path
(`request.get_full_path`, the language switcher's way back). Everything else a part shows must depend only on what
its key holds: the active language, the script prefix and URLconf, the static files' URL, whether the visitor is
signed in and whether they are a student (the "My schedule" link). The part is rendered in a context of its own
holding only a stand-in person that has nothing else (no context processor's data, nothing the view passed), so a
part that started to show more of the person or the page would show it empty rather than someone else's:
attestation/core/tests/test_layout.py renders every part both ways and finds them equal. Under DEBUG (templates read
again when they change) every part is rendered in full each time.
"""

from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import conditional_escape

register = template.Library()

_NAME, _TOKEN, _PATH = "\x00layout-name\x00", "\x00layout-token\x00", "\x00layout-path\x00"
_SLOTS = (_NAME, _TOKEN, _PATH)
KEPT_AT_MOST = 64  # kept parts per node; each language, prefix and kind of visitor is one


class _Person:
    """The stand-in person a part is rendered with: signed in or not, their name a slot, nothing else."""

    def __init__(self, signed_in: bool) -> None:
        self.is_authenticated = signed_in
        self.display_name = _NAME


class _Request:
    def get_full_path(self) -> str:
        return _PATH


def _pieces(text: str) -> tuple:
    """The rendered part cut at its slots: literal text and the slots' names, in order."""
    pieces: list[str] = [text]
    for slot in _SLOTS:
        pieces = [cut for piece in pieces for cut in _split(piece, slot)]
    return tuple(piece for piece in pieces if piece)


def _split(piece: str, slot: str) -> list[str]:
    if piece in _SLOTS:
        return [piece]
    parts = piece.split(slot)
    out = [parts[0]]
    for part in parts[1:]:
        out += [slot, part]
    return out


class LayoutNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple, tuple] = {}  # per key: the part cut at its slots (dies with the cached template)

    def render(self, context: template.Context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        user = context.get("user")
        signed_in = bool(user is not None and user.is_authenticated)
        token = context.get("csrf_token")
        has_token = bool(token) and str(token) != "NOTPROVIDED"
        key = (
            translation.get_language(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,  # where its links go and its files are (fixed in production;
            settings.STATIC_URL,  # a test may change them)
            signed_in,
            signed_in and bool(context.get("is_student")),
            has_token,
            "request" in context,
            context.autoescape,
        )
        pieces = self.rendered.get(key)
        if pieces is None:
            if len(self.rendered) >= KEPT_AT_MOST:  # a prefix or URLconf a request chose must not grow it without end
                return self.nodelist.render(context)
            pieces = self.rendered[key] = self._render_once(context, key)
        if len(pieces) == 1 and pieces[0] not in _SLOTS:
            return pieces[0]
        return "".join(self._filled(piece, context, user, token) for piece in pieces)

    def _render_once(self, context: template.Context, key: tuple) -> tuple:
        signed_in, is_student, has_token, has_request = key[4:8]
        stand_ins: dict = {"user": _Person(signed_in), "is_student": is_student}
        if has_request:
            stand_ins["request"] = _Request()
        if has_token:
            stand_ins["csrf_token"] = _TOKEN
        # a context of its own (no context processor's data, nothing the view passed): a part that came to show
        # anything else would render it empty here and differ from the full render, which test_layout.py compares
        return _pieces(self.nodelist.render(context.new(stand_ins)))

    @staticmethod
    def _filled(piece: str, context: template.Context, user, token) -> str:
        if piece == _NAME:
            name = user.display_name
            return conditional_escape(name) if context.autoescape else name
        if piece == _TOKEN:
            return str(token)
        if piece == _PATH:
            path = context["request"].get_full_path()
            return conditional_escape(path) if context.autoescape else path
        return piece


@register.tag
def layout(parser, token) -> LayoutNode:
    """`{% layout %}…{% endlayout %}`: see the module's docstring."""
    nodelist = parser.parse(("endlayout",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        # a page's own block would be kept as the first page that rendered the part filled it, and shown on every other
        raise template.TemplateSyntaxError("{% block %} cannot stand inside {% layout %}: close the part before it")
    return LayoutNode(nodelist)
