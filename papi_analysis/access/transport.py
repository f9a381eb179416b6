"""Which connections may carry a password (issue 20): a sign-in from a browser whose address is plain http:// on
another machine is refused, because the password would cross the network in clear. On this machine
(localhost, 127.0.0.0/8, ::1) plain HTTP never leaves it; anywhere else the dashboard is served over HTTPS
(scripts/serve --tls-cert/--tls-key, or a TLS terminator in front: docs/DEPLOY.md).

The browser's own address (st.context.url) is what tells: it is the connection the password travels on first.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

PLAIN_HTTP_REFUSED = (
    "Không đăng nhập qua kết nối không mã hóa (http://) từ máy khác: mật khẩu sẽ đi qua mạng ở dạng đọc được. "
    "Hãy mở bảng điều khiển bằng địa chỉ https:// (quản trị viên: xem docs/DEPLOY.md)."
)


def _on_this_machine(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_elsewhere(url: str | None) -> bool:
    """Whether a browser at `url` would send a password in clear over a network (None: not known, e.g. a test
    run without a browser: not refused)."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() == "http" and not _on_this_machine((parts.hostname or "").lower())
