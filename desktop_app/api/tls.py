"""Which certificates the sender trusts, and what a refused certificate means.

The operating system's store comes first (through ``truststore``, as pip does):
a corporate network that inspects TLS adds its CA there, and certifi's bundle
alone would refuse every answer.  certifi is the fallback where that store
cannot be used.  ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``, when set, are loaded
on top, as OpenSSL-based tools have always honoured them.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping

# OpenSSL's verify codes for the reasons an operator can act on.
_EXPIRED = {10: "its certificate has expired", 9: "its certificate is not valid yet"}
_SELF_SIGNED = {18, 19}
_UNKNOWN_AUTHORITY = {2, 20, 21}
_WRONG_NAME = {62, 63, 64}  # host name, e-mail, IP address mismatch


def tls_context(environ: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """A client context that trusts the system's store, plus SSL_CERT_FILE/SSL_CERT_DIR."""
    env = os.environ if environ is None else environ
    context = _system_context()
    cafile = env.get("SSL_CERT_FILE") or None
    capath = env.get("SSL_CERT_DIR") or None
    if cafile and not os.path.isfile(cafile):
        cafile = None  # a stale setting must not stop every send
    if capath and not os.path.isdir(capath):
        capath = None
    if cafile or capath:
        context.load_verify_locations(cafile=cafile, capath=capath)
    return context


def _system_context() -> ssl.SSLContext:
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except Exception:  # no truststore for this system or Python: certifi's bundle
        return certifi_context()


def certifi_context() -> ssl.SSLContext:
    """certifi's bundle: the store used where the system's cannot be."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate refusal behind ``exc`` (httpx wraps it), if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def certificate_reason(error: ssl.SSLCertVerificationError) -> str:
    """Why a certificate was refused, in words: expired, self-signed, wrong name ..."""
    code = getattr(error, "verify_code", None)
    if code in _EXPIRED:
        return _EXPIRED[code]
    if code in _SELF_SIGNED:
        return "its certificate is self-signed"
    if code in _WRONG_NAME:
        return "its certificate is for a different name or address"
    if code in _UNKNOWN_AUTHORITY:
        return "its certificate is signed by an authority this computer does not trust"
    detail = getattr(error, "verify_message", "") or str(error)
    return f"its certificate was refused ({detail})"
