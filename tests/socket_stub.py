"""A local stand-in for Slack's Socket Mode WebSocket endpoint (RFC 6455, text frames only,
no extensions), enough for slack_sdk's builtin client: the handshake, `{"type": "hello"}` on
each connection, envelopes sent by the test, acks and pings from the client recorded."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


def frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        head += bytes([len(payload)])
    elif len(payload) < 1 << 16:
        head += bytes([126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([127]) + struct.pack("!Q", len(payload))
    return head + payload


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    """A client frame (clients mask theirs); fragments are not used by slack_sdk."""
    first, second = _read_exactly(sock, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exactly(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exactly(sock, 8))
    mask = _read_exactly(sock, 4) if second & 0x80 else b"\0\0\0\0"
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exactly(sock, length)))
    return first & 0x0F, payload


class Connection:
    def __init__(self, sock: socket.socket, path: str) -> None:
        self.sock = sock
        self.path = path
        self.lock = threading.Lock()
        self.closed = threading.Event()

    def send(self, message: dict) -> None:
        with self.lock:
            self.sock.sendall(frame(TEXT, json.dumps(message).encode()))


class SocketModeStub:
    """Listens on loopback; `url(n)` is the address apps.connections.open should hand out."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[Connection] = []
        self.received: list[tuple[int, dict]] = []  # (connection index, message)
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, ticket: str) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}"

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)  # the client's read ends now
            connection.sock.close()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(30)
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = sock.recv(1024)
                if not chunk:
                    return
                request += chunk
            lines = request.decode().split("\r\n")
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:])
            }
            key = headers["sec-websocket-key"]
            accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
            sock.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            connection = Connection(sock, lines[0].split()[1])
            with self.lock:
                self.connections.append(connection)
                index = len(self.connections) - 1
            connection.send({"type": "hello", "num_connections": 1})
            while True:
                opcode, payload = read_frame(sock)
                if opcode == TEXT:
                    with self.lock:
                        self.received.append((index, json.loads(payload)))
                elif opcode == PING:
                    with connection.lock:
                        sock.sendall(frame(PONG, payload))
                elif opcode == CLOSE:
                    with connection.lock:
                        sock.sendall(frame(CLOSE, payload[:2]))
                    return
        except (OSError, ConnectionError, ValueError, KeyError):
            return
        finally:
            sock.close()
            for connection in self.connections:
                if connection.sock is sock:
                    connection.closed.set()

    def acks(self, envelope_id: str) -> list[tuple[int, dict]]:
        with self.lock:
            return [(i, m) for i, m in self.received if m.get("envelope_id") == envelope_id]

    def wait_for(self, predicate, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.02)
        return predicate()
