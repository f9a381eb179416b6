"""The server's two endpoints for the session cookie (access/sessions.py), served beside Streamlit's own routes by
the st.App in scripts/papi_asgi.py: the page posts a hand-off token to SESSION_PATH and gets the HttpOnly cookie;
it posts to SIGN_OUT_PATH and the cookie is cleared. Only POSTs from the dashboard's own origin are answered
(a page elsewhere cannot sign a browser in or out); the token travels in the body, never in a URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from papi_analysis.access.sessions import COOKIE, MAX_AGE_SECONDS, Sessions
from papi_analysis.paths import db_path

SESSION_PATH = "/api/papi/phien"
SIGN_OUT_PATH = "/api/papi/dang-xuat"
MAX_BODY_BYTES = 4096


def endpoint(path: str, base_url: str = "") -> str:
    """The endpoint's path under Streamlit's server.baseUrlPath."""
    base = base_url.strip("/")
    return f"/{base}{path}" if base else path


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    host = request.headers.get("x-forwarded-host") or request.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def _body(request: Request) -> str:
    body = await request.body()
    return body[:MAX_BODY_BYTES].decode("utf-8", "replace").strip()


async def start_session(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    cookie = Sessions(db_path()).from_handoff(await _body(request))
    if cookie is None:
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE, cookie, max_age=MAX_AGE_SECONDS, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


async def end_session(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def routes(base_url: str = "") -> list[Route]:
    return [
        Route(endpoint(SESSION_PATH, base_url), start_session, methods=["POST"]),
        Route(endpoint(SIGN_OUT_PATH, base_url), end_session, methods=["POST"]),
    ]
