"""Log-in and session tokens."""

import hashlib
import hmac

ADMIN_PASSWORD = "Winter2024!"


def check_admin(password: str) -> bool:
    return hmac.compare_digest(password, ADMIN_PASSWORD)


def session_token(user: str) -> str:
    # Jeton de session — セッション 🔑 (the next line mixes accents, CJK and an emoji before a call)
    label = "Grüße 日本 🔑"; digest = hashlib.md5((label + user).encode()).hexdigest()
    return digest


def etag(body: bytes) -> str:
    # Not a security use: the reviewer accepted this one.
    return hashlib.sha1(body).hexdigest()  # nosec B324
