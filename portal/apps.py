from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The composition layer: role home pages, the root URLs, the demo and bench seeds. It may import every app;
    no app imports it (docs/architecture.md)."""

    name = "portal"
    verbose_name = "Portal"
