"""Production behind HTTPS: secure cookies, HSTS, a secret key from the environment."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ["THIDUA_SECRET_KEY"]
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("THIDUA_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("THIDUA_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
