#!/usr/bin/env python3
"""One message at a time: the latency of a single send on otherwise idle nodes (docs/BENCHMARKS.md).

Signs up two users, opens a socket for each (on two nodes if given), joins both to a new room, then
sends one message every 50 ms and times, from the client's send: the `ack`, the sender's own copy of
the `message`, and the other socket's copy; then an unknown request type, answered with an `error`
by the node alone (no Redis). Needs only Python 3; speaks docs/PROTOCOL.md over a plain socket.

    src/load/probe.py http://127.0.0.1:18090/ [http://127.0.0.1:18091/] [--count 300]
"""
import argparse
import base64
import json
import os
import socket
import statistics
import struct
import time
import urllib.error
import urllib.parse
import urllib.request


def post(node, path, body):
    req = urllib.request.Request(urllib.parse.urljoin(node, path), data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        return json.loads(urllib.request.urlopen(req, timeout=30).read() or b"{}")
    except urllib.error.HTTPError as e:
        return {"status": e.code}
    except urllib.error.URLError as e:
        raise SystemExit(f"{req.full_url}: {e.reason}")


class Socket:
    def __init__(self, node, user):
        node = node if node.endswith("/") else node + "/"
        account = {"username": user, "password": "probe-password-1"}
        post(node, "api/users", account)
        login = post(node, "api/sessions", account)
        if "token" not in login:
            raise SystemExit(f"{node}: sign-up or login failed: {login}")
        token = login["token"]
        url = urllib.parse.urlparse(node)
        self.sock = socket.create_connection((url.hostname, url.port or 80), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        path = (url.path or "/").rstrip("/") + "/ws"
        self.sock.sendall((f"GET {path}?access_token={token} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SystemExit(f"{node}: the handshake was refused")
            data += chunk
        head, self.buf = data.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n")[0]
        if b" 101 " not in status:
            raise SystemExit(f"{node}: {status.decode()}")

    def send(self, frame):
        data = json.dumps(frame, separators=(",", ":")).encode()
        mask = os.urandom(4)
        size = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data))
        self.sock.sendall(bytes([0x81]) + size + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def next_frame(self):
        while True:
            if len(self.buf) >= 2:
                size, at = self.buf[1] & 0x7F, 2
                if size == 126:
                    size, at = struct.unpack(">H", self.buf[2:4])[0], 4
                elif size == 127:
                    size, at = struct.unpack(">Q", self.buf[2:10])[0], 10
                if len(self.buf) >= at + size:
                    opcode, payload = self.buf[0] & 0x0F, self.buf[at:at + size]
                    self.buf = self.buf[at + size:]
                    if opcode == 0x1:
                        return json.loads(payload)
                    if opcode == 0x8:
                        raise SystemExit("the server closed the socket")
                    if opcode == 0x9:  # ping: answer with an empty, masked pong
                        self.sock.sendall(bytes([0x8A, 0x80]) + b"\0\0\0\0")
                    continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("the server closed the connection")
            self.buf += chunk

    def until(self, *types):
        while True:
            frame = self.next_frame()
            if frame["type"] in types:
                return frame


def summary(name, millis):
    ordered = sorted(millis)
    return f"{name} p50 {statistics.median(ordered):.2f} p90 {ordered[int(len(ordered) * 0.9)]:.2f} ms"


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("nodes", nargs="+")
    args.add_argument("--count", type=int, default=300)
    opts = args.parse_args()
    run = os.urandom(3).hex()
    a = Socket(opts.nodes[0], "probea" + run)
    b = Socket(opts.nodes[-1], "probeb" + run)
    room = "probe-" + run
    for s in (a, b):
        s.send({"type": "join", "room": room})
        s.until("joined")
    acks, own, other = [], [], []
    for i in range(opts.count):
        time.sleep(0.05)
        start = time.perf_counter()
        a.send({"type": "send", "room": room, "text": "probe", "ref": str(i)})
        seen = {}
        while len(seen) < 2:
            frame = a.until("ack", "message", "error")
            if frame["type"] == "error":
                raise SystemExit(f"send refused: {frame}")
            seen.setdefault(frame["type"], time.perf_counter() - start)
        b.until("message")
        acks.append(seen["ack"] * 1000)
        own.append(seen["message"] * 1000)
        other.append((time.perf_counter() - start) * 1000)
    errors = []
    for i in range(min(opts.count, 100)):
        time.sleep(0.05)
        start = time.perf_counter()
        a.send({"type": "no-such-type", "ref": f"e{i}"})
        a.until("error")
        errors.append((time.perf_counter() - start) * 1000)
    print(" | ".join([summary("ack", acks), summary("own message", own), summary("other socket", other),
                      summary("error reply (no Redis)", errors)]))


if __name__ == "__main__":
    main()
