from tests.security.world import demo_world_fixture  # noqa: F401 - the module-scoped demo world
