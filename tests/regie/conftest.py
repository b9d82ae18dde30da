from tests.autorisatie.conftest import client_with  # noqa: F401  (a fixture)
