from tests.incidents.conftest import media_root, people  # noqa: F401  (one definition, shared)
