"""
CURVE security for MainPC sockets.

Uses the up-to-date pyzmq auth helpers, but the keys fall back to defaults
when the environment does not provide them.
"""
import os

import zmq
import zmq.auth

CERTIFICATES_DIR = os.environ.get("ZMQ_CERTIFICATES_DIR", "certificates")
SERVER_SECRET_KEY = os.getenv("ZMQ_PRIVATE_KEY", "default")
SERVER_PUBLIC_KEY = os.getenv("ZMQ_PUBLIC_KEY", "default")


def is_secure_zmq_enabled():
    return os.environ.get("SECURE_ZMQ", "0") == "1"


def configure_secure_server(sock):
    """Make ``sock`` a CURVE server with the configured key pair."""
    sock.curve_secretkey = SERVER_SECRET_KEY.encode()
    sock.curve_publickey = SERVER_PUBLIC_KEY.encode()
    sock.curve_server = True
    return sock


def configure_secure_client(sock, server_name="server"):
    """Make ``sock`` a CURVE client, with keys loaded from the certificates directory."""
    public, secret = zmq.auth.load_certificate(
        os.path.join(CERTIFICATES_DIR, "client.key_secret")
    )
    server_public, _ = zmq.auth.load_certificate(
        os.path.join(CERTIFICATES_DIR, f"{server_name}.key")
    )
    sock.curve_publickey = public
    sock.curve_secretkey = secret
    sock.curve_serverkey = server_public
    return sock
