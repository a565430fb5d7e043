from tests.support.service_context import context  # noqa: F401
