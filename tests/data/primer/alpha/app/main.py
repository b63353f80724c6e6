import socket
import sys

from app.legacy import greet

sys.path.insert(0, "/opt/alpha/lib")

SERVER = "localhost"


def serve():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("0.0.0.0", 8080))
    sock.listen(5)
    return sock


def client():
    return greet(SERVER)


if __name__ == "__main__":
    serve()
