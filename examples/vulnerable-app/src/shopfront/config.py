"""Settings with secrets that should have come from the environment."""

import os

SECRET_KEY = "dev-secret-key"
DEBUG = os.environ.get("SHOP_DEBUG", "1") == "1"


def database_url(user: str = "shop", password: str = "shop123") -> str:
    return f"postgresql://{user}:{password}@localhost/shop"
