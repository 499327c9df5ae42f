from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county (seed_demo): the roof over every app, since it writes into all of them."""

    name = "demo"
    verbose_name = "演示数据"
