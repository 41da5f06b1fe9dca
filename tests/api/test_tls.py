"""Certificates: the system's store is trusted, a refused certificate is one clear sentence.

Every case runs against a real HTTPS server on loopback whose certificate
comes from a certificate authority made for the test (trustme).  The test
machine sets SSL_CERT_FILE for every process, so each test sets or unsets
it itself.
"""

from __future__ import annotations

import datetime
import http.server
import json
import socket
import ssl
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
import trustme
from send_support import small_order

from desktop_app.api.payload import build_request
from desktop_app.api.ratelimit import RateLimiter
from desktop_app.api.sender import OrderSender, Outcome, SendResult
from desktop_app.api.tls import tls_context
from desktop_app.practice.server import PRACTICE_KEY

ORDER_ID = "3BFTT324G0MKSYPV3FR2JQ3NFCAP"


class _CreatingHandler(http.server.BaseHTTPRequestHandler):
    """Reads the order and answers as the API does when it created one."""

    protocol_version = "HTTP/1.1"
    received: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(self.path)
        body = json.dumps({"status": 201, "data": {"orderId": ORDER_ID}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def https_server(cert: trustme.LeafCert | trustme.CA) -> Iterator[str]:
    """A real HTTPS server on 127.0.0.1 presenting ``cert``; yields its base URL."""
    _CreatingHandler.received.clear()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if isinstance(cert, trustme.CA):  # the authority's own, self-signed certificate
        with tempfile.TemporaryDirectory() as folder:
            cert.cert_pem.write_to_path(f"{folder}/cert.pem")
            cert.private_key_pem.write_to_path(f"{folder}/key.pem")
            context.load_cert_chain(f"{folder}/cert.pem", f"{folder}/key.pem")
    else:
        cert.configure_cert(context)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CreatingHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def no_cert_settings(monkeypatch):
    """No SSL_CERT_FILE/SSL_CERT_DIR: only the system's store (or certifi) is trusted."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return monkeypatch


def trust_only(monkeypatch, ca: trustme.CA, tmp_path: Path) -> None:
    """Point SSL_CERT_FILE at the test's authority, as an operator would for a company CA."""
    path = tmp_path / "company-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def send_to(url: str) -> SendResult:
    request = build_request(small_order(), url)
    sender = OrderSender(
        PRACTICE_KEY, limiter=RateLimiter(limit=1000), connect_retry_delays=(0.0, 0.0, 0.0)
    )
    with sender:
        return sender.send(request)


def test_an_authority_named_by_ssl_cert_file_is_trusted(ca, no_cert_settings, tmp_path):
    trust_only(no_cert_settings, ca, tmp_path)
    with https_server(ca.issue_cert("127.0.0.1")) as url:
        result = send_to(url)
    assert result.outcome is Outcome.CREATED and result.order_id == ORDER_ID
    assert len(_CreatingHandler.received) == 1


def test_ssl_cert_file_is_honoured_where_the_system_store_cannot_be_used(
    ca, no_cert_settings, tmp_path
):
    no_cert_settings.setitem(sys.modules, "truststore", None)  # import fails: certifi
    trust_only(no_cert_settings, ca, tmp_path)
    with https_server(ca.issue_cert("127.0.0.1")) as url:
        result = send_to(url)
    assert result.outcome is Outcome.CREATED
    assert len(_CreatingHandler.received) == 1


def test_ssl_cert_dir_is_honoured(ca, no_cert_settings, tmp_path):
    no_cert_settings.setitem(sys.modules, "truststore", None)
    folder = tmp_path / "certs"
    folder.mkdir()
    # OpenSSL finds a CA in a folder by its subject hash (what c_rehash names).
    ca.cert_pem.write_to_path(str(folder / f"{_subject_hash(ca)}.0"))
    no_cert_settings.setenv("SSL_CERT_DIR", str(folder))
    with https_server(ca.issue_cert("127.0.0.1")) as url:
        result = send_to(url)
    assert result.outcome is Outcome.CREATED


def _subject_hash(ca: trustme.CA) -> str:
    import subprocess

    pem = ca.cert_pem.bytes()
    try:
        out = subprocess.run(
            ["openssl", "x509", "-noout", "-subject_hash"], input=pem, capture_output=True
        )
    except FileNotFoundError:
        pytest.skip("openssl is not installed to name the certificate folder's entry")
    return out.stdout.decode().strip()


def test_without_settings_the_systems_store_is_what_is_trusted(no_cert_settings):
    import truststore

    cafile = ssl.get_default_verify_paths().cafile
    if cafile is None:
        pytest.skip("this system's OpenSSL names no certificate file")
    context = tls_context()
    assert isinstance(context, truststore.SSLContext)
    # truststore reads the system's store when a connection is made: make one,
    # to a server the system does not trust.
    with https_server(trustme.CA().issue_cert("127.0.0.1")) as url:
        port = int(url.rsplit(":", 1)[1])
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
            pytest.raises(ssl.SSLCertVerificationError),
        ):
            context.wrap_socket(raw, server_hostname="127.0.0.1")
    # On Linux truststore verifies with OpenSSL on an inner context loaded
    # from the system's store; elsewhere it asks the system's own API.
    inner = getattr(context, "_ctx", None)
    if not isinstance(inner, ssl.SSLContext):
        pytest.skip("this system's truststore verifies through the system's own API")
    system = {ssl.PEM_cert_to_DER_cert(p) for p in _pem_blocks(Path(cafile).read_text())}
    assert system and system <= set(inner.get_ca_certs(binary_form=True))


def _pem_blocks(text: str) -> list[str]:
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    return [
        begin + block.split(begin, 1)[1] + end + "\n" for block in text.split(end) if begin in block
    ]


def test_certifi_is_the_fallback_where_the_system_store_cannot_be_used(no_cert_settings):
    import certifi

    no_cert_settings.setitem(sys.modules, "truststore", None)
    context = tls_context()
    bundled = {ssl.PEM_cert_to_DER_cert(p) for p in _pem_blocks(Path(certifi.where()).read_text())}
    assert bundled and set(context.get_ca_certs(binary_form=True)) == bundled


@pytest.mark.parametrize(
    ("make_cert", "reason"),
    [
        (lambda ca: ca.issue_cert("127.0.0.1"), "authority this computer does not trust"),
        (lambda ca: ca, "self-signed"),
    ],
    ids=["unknown-authority", "self-signed"],
)
def test_an_untrusted_certificate_is_one_sentence_not_created_not_retried(
    ca, no_cert_settings, make_cert, reason
):
    with https_server(make_cert(ca)) as url:
        result = send_to(url)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "127.0.0.1" in result.message and reason in result.message
    assert "Could not connect" not in result.message
    assert result.message.count(". ") == 0  # one sentence
    assert _CreatingHandler.received == []


def test_an_expired_certificate_says_so(ca, no_cert_settings, tmp_path):
    trust_only(no_cert_settings, ca, tmp_path)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = ca.issue_cert(
        "127.0.0.1",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    with https_server(cert) as url:
        result = send_to(url)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "127.0.0.1" in result.message and "expired" in result.message
    assert _CreatingHandler.received == []


def test_a_certificate_for_another_name_says_so(ca, no_cert_settings, tmp_path):
    trust_only(no_cert_settings, ca, tmp_path)
    with https_server(ca.issue_cert("api.example.com")) as url:
        result = send_to(url)
    assert result.outcome is Outcome.NOT_CREATED and result.attempts == 1
    assert "127.0.0.1" in result.message and "different name" in result.message
    assert _CreatingHandler.received == []
