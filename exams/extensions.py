"""What the apps above the exam add to its pages and its rules, so that the exam never imports them
(docs/architecture.md). They register here when the apps are loaded (`AppConfig.ready()`); proctoring does.

- `context_part(page)`: a function whose dict is merged into a page's template context. Pages and their keyword
  arguments: "console" (sitting=; the console and its refreshed queue), "console_page" (sitting=; the full console
  page only), "desk" (slot=, now=; one student's desk).
- `watcher_rule`: a rule naming more people who may watch a sitting, or with `slot` one student's desk
  (proctoring: the sitting's proctors, R7).
- `admission_rule`: a reason the secretary may not admit the student yet, or None (proctoring: the room check
  after identification, R20).
"""

from collections.abc import Callable

from commissions.models import Sitting, Slot

ContextPart = Callable[..., dict]
WatcherRule = Callable[..., bool]  # (user, sitting, slot=None) -> bool

_context_parts: dict[str, list[ContextPart]] = {}
_watcher_rules: list[WatcherRule] = []
AdmissionRule = Callable[..., str | None]  # (attempt=) -> the refusal, or None
_admission_rules: list[AdmissionRule] = []


def context_part(page: str) -> Callable[[ContextPart], ContextPart]:
    def register(part: ContextPart) -> ContextPart:
        _context_parts.setdefault(page, []).append(part)
        return part

    return register


def extra_context(page: str, **kwargs) -> dict:
    """Everything the registered apps add to `page`."""
    context: dict = {}
    for part in _context_parts.get(page, ()):
        context.update(part(**kwargs))
    return context


def watcher_rule(rule: WatcherRule) -> WatcherRule:
    _watcher_rules.append(rule)
    return rule


def watches_by_rule(user, sitting: Sitting, slot: Slot | None = None) -> bool:
    return any(rule(user, sitting, slot) for rule in _watcher_rules)


def admission_rule(rule: AdmissionRule) -> AdmissionRule:
    _admission_rules.append(rule)
    return rule


def admission_rules() -> list[AdmissionRule]:
    return list(_admission_rules)
