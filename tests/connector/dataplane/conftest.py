from tests.support.exchange import space  # noqa: F401
