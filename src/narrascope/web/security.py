"""Safety of the web layer (BATTERY.md W1-W7): headers, write tokens, bind addresses."""

from __future__ import annotations

import base64
import hmac
import ipaddress

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from narrascope.errors import NarrascopeError

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
TOKEN_HEADER = "X-Narrascope-Token"  # noqa: S105 (a header name, not a secret)


class SecurityHeadersMiddleware:
    """Adds the CSP, nosniff and related headers to every HTTP response (pure ASGI, no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self._headers if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def token_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of the write token; no token configured never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, *, token: str | None, insecure_public: bool) -> None:
    """Refuse a non-loopback bind unless a token protects it or the user explicitly accepts the exposure.

    Raises:
        NarrascopeError: the address is reachable from other machines and neither --token nor
            --insecure-public was given.
    """
    if is_loopback(host) or token or insecure_public:
        return
    raise NarrascopeError(
        f"refusing to listen on {host}: other machines could read the database. Pass --token SECRET "
        "(every request then needs it: header X-Narrascope-Token or HTTP Basic password), or "
        "--insecure-public to accept the exposure, or bind 127.0.0.1 (the default)")


def request_token(headers: dict[str, str]) -> str | None:
    """The token a request carries in the X-Narrascope-Token header or as its HTTP Basic password."""
    token = headers.get(TOKEN_HEADER.lower())
    if token:
        return token
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


class ReadAuthMiddleware:
    """Every request must carry the token (for servers reachable from other machines)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
            if not token_matches(self.token, request_token(headers)):
                body = b'{"error":{"status":401,"message":"this server needs its token"}}'
                await send({"type": "http.response.start", "status": 401, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Basic realm="narrascope"')]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
