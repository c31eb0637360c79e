#!/usr/bin/env python3
"""Adversarial clients against the real `mpa-admission serve` binary (loopback only, bounded).

While one thread keeps a steady stream of valid admissions going (pod-create-review.json POSTed
to /mutate over one keep-alive HTTP/1.1 TLS connection, reconnecting only after the server
closes it between answers), the script throws at the server:
  - slowloris: request headers a byte per second, and a body trickled a byte per second
    (the server must answer 408 / close within its 10 s request timeout);
  - a 100 MiB body announced by Content-Length and a 100 MiB chunked body (413 quickly, the
    body not buffered: the RSS bound below would catch it);
  - garbage bytes instead of a TLS ClientHello, and TLS handshakes left half-done (a lone
    ClientHello, a truncated ClientHello, a bare TCP connect) — closed by the handshake timeout;
  - 2,000 idle connections at once: 1,000 TLS connections handshaken first and kept silent
    through every attack (each must still answer a valid review at the end), plus 1,000 TCP
    connections that never start TLS (closed by the 10 s handshake timeout). The server's
    maxConnections is 10,000 (no flag), so none is refused; TLS connections opened while
    they are held must be served and the steady stream must keep going;
  - HTTP/2 rapid-reset bursts on 3 connections (HEADERS + RST_STREAM up to 1000 times each →
    GOAWAY ENHANCE_YOUR_CALM);
  - malformed JSON, invalid AdmissionReviews, a wrong Content-Type (400/415, one-line message);
  - 2,000 HTTP/1.1 requests pipelined on 8 connections without reading (all answered, in
    bounded memory) and oversized request headers (431).
Then asserts: the valid stream saw no error and kept progressing through every phase, the
process is alive, /healthz and /readyz answer 200, RSS (VmRSS sampled every 100 ms, and the
kernel's VmHWM) stayed under RSS_BOUND_MIB, and SIGTERM still ends it with status 0.

Every wait is a deadline on an observable event (no sleep decides an outcome); the whole run
takes 10-15 s idle, well under 90 s on a loaded machine. usage: adversarial.py path/to/mpa-admission
"""
import json
import os
import random
import resource
import selectors
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CERTS = os.path.join(ROOT, "Tests/WebhookServerTests/Fixtures")
EXAMPLES = os.path.join(ROOT, "manifests/examples")

# Measured on a debug build through this whole script: ~33 MiB once ready, peak VmHWM 56-61 MiB
# (2,000 connections held, a 7 MiB body limit reached). The bound leaves 2x room for allocator
# and load noise but not for a buffered 100 MiB body.
RSS_BOUND_MIB = 128
IDLE_RAW = 1000               # TCP connections that never send a byte
IDLE_TLS = 1000               # TLS connections, handshake done, no request until the very end
IDLE_TIMEOUT = 90.0           # the server's keep-alive idle timeout
SERVER_TIMEOUT = 10.0          # the server's TLS-handshake and request-header timeouts
SLACK = 30.0                   # generous: a loaded 2-core machine running a debug build

try:
    import h2.connection
    import h2.config
    import h2.events
    import h2.exceptions
except ImportError:
    for extra in ([], ["--break-system-packages"]):
        if subprocess.run([sys.executable, "-m", "pip", "install", "-q", *extra, "h2"]).returncode == 0:
            break
    import h2.connection
    import h2.config
    import h2.events
    import h2.exceptions

failures = []
passes = 0
print_lock = threading.Lock()


def check(name, ok, detail=""):
    global passes
    with print_lock:
        print(("ok   " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""), flush=True)
        if ok:
            passes += 1
        else:
            failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tls_context(alpn=("http/1.1",)):
    ctx = ssl.create_default_context(cafile=os.path.join(CERTS, "ca.pem"))
    ctx.set_alpn_protocols(list(alpn))
    return ctx


def recv_until_closed(sock, deadline):
    """Reads until EOF/reset or the deadline; returns (closed, bytes received)."""
    got = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False, got
        sock.settimeout(min(left, 1.0))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError):
            return True, got
        if not chunk:
            return True, got
        got += chunk


def read_response(sock, deadline, buf=b""):
    """One HTTP/1.1 response with Content-Length: (status, headers dict, body); None if the
    connection closed before a complete response. `buf`: bytes of it already read."""
    r, _ = read_response_rest(sock, deadline, buf)
    return r


def read_response_rest(sock, deadline, buf=b""):
    """`read_response` and the bytes read past it (pipelined answers)."""
    while b"\r\n\r\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no response head in time")
        sock.settimeout(left)
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("response body incomplete in time")
        sock.settimeout(left)
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return (status, headers, rest[:length]), rest[length:]


def post(path, body, content_type="application/json", extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode() + body


class RSSSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.hwm, self.stop = pid, 0, 0, threading.Event()

    def read(self):
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        self.peak_rss = max(self.peak_rss, int(line.split()[1]))
                    elif line.startswith("VmHWM:"):
                        self.hwm = max(self.hwm, int(line.split()[1]))
        except OSError:
            pass

    def run(self):
        while not self.stop.wait(0.1):
            self.read()


class SteadyStream(threading.Thread):
    """Valid admissions back to back (paced a little so the attacks get CPU too)."""

    def __init__(self, port, body):
        super().__init__(daemon=True)
        self.port, self.request = port, post("/mutate", body)
        self.ok = 0
        self.errors = []
        self.reconnects = 0
        self.max_latency = 0.0
        self.stop = threading.Event()

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        return tls_context().wrap_socket(raw, server_hostname="localhost")

    def run(self):
        sock = None
        while not self.stop.is_set():
            try:
                if sock is None:
                    sock = self.connect()
                start = time.monotonic()
                sock.sendall(self.request)
                r = read_response(sock, start + 30)
                self.max_latency = max(self.max_latency, time.monotonic() - start)
                if r is None:
                    self.errors.append("connection closed with a request in flight")
                    sock.close(); sock = None
                    continue
                status, headers, body = r
                answer = json.loads(body) if status == 200 else {}
                resp = answer.get("response", {})
                if status != 200 or resp.get("allowed") is not True or not resp.get("patch"):
                    self.errors.append(f"status {status}: {body[:200]!r}")
                else:
                    self.ok += 1
                if headers.get("connection", "").lower() == "close":
                    self.reconnects += 1
                    sock.close(); sock = None
            except Exception as e:  # any transport error in the valid stream is a failure
                self.errors.append(f"{type(e).__name__}: {e}")
                if sock is not None:
                    sock.close()
                sock = None
                self.stop.wait(0.1)  # no busy loop against a dead server
            self.stop.wait(0.005)
        if sock is not None:
            sock.close()


def plain_get(port, path, timeout=10):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


# ---------------------------------------------------------------------------------- attacks

def slowloris_headers(port, results, n=10):
    """Request headers a byte per second: 408 or a close within the request timeout."""
    def one(i):
        try:
            s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                          server_hostname="localhost")
            line = b"POST /mutate HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 200
            start = time.monotonic()
            deadline = start + SERVER_TIMEOUT + SLACK
            closed, got = False, b""
            for byte in line:
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                c, g = recv_until_closed(s, time.monotonic() + 1.0)
                got += g
                if c or time.monotonic() > deadline:
                    closed = c
                    break
            if not closed:
                closed, g = recv_until_closed(s, deadline)
                got += g
            results.append((closed, time.monotonic() - start, got[:12]))
            s.close()
        except Exception as e:
            results.append((False, 0, f"{type(e).__name__}: {e}"))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    return threads


def slowloris_body(port, results, n=10):
    """Complete headers, then the body trickled a byte per second."""
    def one(i):
        try:
            s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                          server_hostname="localhost")
            s.sendall(b"POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 4000\r\n\r\n")
            start = time.monotonic()
            deadline = start + SERVER_TIMEOUT + SLACK
            closed, got = False, b""
            while time.monotonic() < deadline:
                try:
                    s.sendall(b" ")
                except OSError:
                    closed = True
                    break
                c, g = recv_until_closed(s, time.monotonic() + 1.0)
                got += g
                if c:
                    closed = True
                    break
            results.append((closed, time.monotonic() - start, got[:12]))
            s.close()
        except Exception as e:
            results.append((False, 0, f"{type(e).__name__}: {e}"))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    return threads


def client_hello():
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = tls_context().wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def half_done_tls(port, results):
    """A ClientHello and then silence; half a ClientHello; a bare connect: all closed in time."""
    hello = client_hello()
    def one(kind):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            start = time.monotonic()
            if kind == "hello":
                s.sendall(hello)
            elif kind == "half-hello":
                s.sendall(hello[: len(hello) // 2])
            closed, _ = recv_until_closed(s, start + SERVER_TIMEOUT + SLACK)
            results.append((kind, closed, time.monotonic() - start))
            s.close()
        except Exception as e:
            results.append((kind, False, f"{type(e).__name__}: {e}"))
    threads = [threading.Thread(target=one, args=(k,)) for k in ["hello", "half-hello", "bare"] * 5]
    for t in threads:
        t.start()
    return threads


def garbage(port):
    """Random bytes and plaintext HTTP instead of TLS: the server drops them quickly."""
    rng = random.Random(8)
    times = []
    payloads = [bytes(rng.getrandbits(8) for _ in range(4096)) for _ in range(8)]
    payloads += [b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", b"\x16\x03\x01\xff\xff" + b"\x00" * 64,
                 b"\x16\x03\x03\x00\x05\x01\x00\x00\x01\x00"]
    for p in payloads:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        start = time.monotonic()
        try:
            s.sendall(p)
        except OSError:
            pass
        closed, got = recv_until_closed(s, start + SERVER_TIMEOUT + SLACK)
        times.append((closed, time.monotonic() - start, got))
        s.close()
    return times


def huge_body(port, chunked):
    """100 MiB body; returns (status, seconds to the answer, MiB we managed to send)."""
    s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                  server_hostname="localhost")
    total = 100 * 1024 * 1024
    if chunked:
        head = (b"POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
    else:
        head = (b"POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % total)
    sent = 0
    block = b"x" * 65536
    piece = (b"%x\r\n" % len(block)) + block + b"\r\n" if chunked else block
    start = time.monotonic()
    deadline = start + SERVER_TIMEOUT + SLACK
    status = None
    # One thread (an SSL object is not safe to read and write concurrently): send until the
    # answer is readable, the server stops reading (send times out) or closes.
    early = b""
    try:
        s.sendall(head)
        while sent < total and time.monotonic() < deadline:
            s.setblocking(False)
            try:
                early = s.recv(65536)  # the answer (or EOF) ends the upload
                break
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                pass  # nothing yet (a TLS 1.3 session ticket is not an answer)
            s.settimeout(5)
            s.sendall(piece)
            sent += len(block)
    except (OSError, socket.timeout):
        pass  # the server stopped reading or closed: its answer should be waiting
    try:
        r = read_response(s, deadline, early) if early or sent < total else None
        status = r[0] if r else None
    except Exception:
        status = None
    elapsed = time.monotonic() - start
    s.close()
    return status, elapsed, sent / (1024 * 1024)


def open_idle_tls(port):
    """IDLE_TLS handshaken keep-alive connections that stay silent through every attack."""
    socks, errors = [], []
    start = time.monotonic()
    for _ in range(IDLE_TLS):
        try:
            socks.append(tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                                   server_hostname="localhost"))
        except OSError as e:
            errors.append(f"{type(e).__name__}: {e}")
    check(f"{IDLE_TLS} idle TLS connections opened", not errors,
          f"{len(socks)} in {time.monotonic() - start:.1f}s, errors {errors[:1]}")
    return socks, time.monotonic()


def use_idle_tls(socks, opened_at):
    """After the attacks every held TLS connection still answers a valid review (unless the run
    took longer than the server's idle timeout, which may then have closed some, as it should)."""
    answered, closed, other = 0, 0, []
    for s in socks:
        try:
            s.sendall(post("/mutate", REVIEW))
            r = read_response(s, time.monotonic() + 30)
            if r is None:
                closed += 1
            elif r[0] == 200 and json.loads(r[2]).get("response", {}).get("allowed") is True:
                answered += 1
            else:
                other.append(r[0])
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except Exception as e:
            other.append(f"{type(e).__name__}: {e}")
        s.close()
    late = time.monotonic() - opened_at > IDLE_TIMEOUT - 5
    check(f"{len(socks)} idle TLS connections held through the attacks still answer",
          answered == len(socks) or (late and not other and answered + closed == len(socks)),
          f"{answered} answered, {closed} closed, other {other[:3]}")


def idle_connections(port, stream):
    """IDLE_RAW TCP connections that never start TLS, held on top of the IDLE_TLS ones (2,000 idle
    in all); fresh TLS connections are served meanwhile; the server closes the raw ones."""
    socks = []
    start = time.monotonic()
    errors = 0
    for _ in range(IDLE_RAW):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=30))
        except OSError:
            errors += 1
    opened = time.monotonic() - start
    check(f"{IDLE_RAW} more idle TCP connections opened ({IDLE_RAW + IDLE_TLS} idle in all)",
          errors == 0 and len(socks) == IDLE_RAW, f"{len(socks)} in {opened:.1f}s, {errors} connect errors")
    # While they are all held: fresh TLS connections get answers, the stream moves on.
    before = stream.ok
    served = 0
    for _ in range(5):
        try:
            s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                          server_hostname="localhost")
            s.sendall(post("/mutate", REVIEW))
            r = read_response(s, time.monotonic() + 30)
            served += 1 if r and r[0] == 200 else 0
            s.close()
        except Exception:
            pass
    check(f"new TLS connections served while {IDLE_RAW + IDLE_TLS} idle ones are held", served == 5, f"{served}/5")
    deadline = time.monotonic() + 30
    while stream.ok == before and time.monotonic() < deadline:
        time.sleep(0.05)
    check(f"steady stream progresses while {IDLE_RAW + IDLE_TLS} idle connections are held", stream.ok > before)
    # The server gives each connection SERVER_TIMEOUT to finish its handshake: all must close.
    sel = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    open_count = len(socks)
    deadline = time.monotonic() + SERVER_TIMEOUT + SLACK
    while open_count and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1.0):
            try:
                data = key.fileobj.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                open_count -= 1
    closed_after = time.monotonic() - start
    check("idle connections without a handshake closed by the server's handshake timeout",
          open_count == 0, f"{len(socks) - open_count}/{len(socks)} closed {closed_after:.1f}s after the first connect")
    sel.close()
    for s in socks:
        s.close()


def rapid_reset(port, bursts=1000):
    """HTTP/2: one valid request, then HEADERS + RST_STREAM as fast as possible → GOAWAY."""
    s = tls_context(alpn=("h2",)).wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                              server_hostname="localhost")
    if s.selected_alpn_protocol() != "h2":
        return f"ALPN {s.selected_alpn_protocol()!r}", None, None
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    s.sendall(conn.data_to_send())
    headers = [(":method", "POST"), (":path", "/mutate"), (":scheme", "https"), (":authority", "localhost"),
               ("content-type", "application/json"), ("content-length", str(len(REVIEW)))]
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, headers)
    conn.send_data(sid, REVIEW, end_stream=True)
    s.sendall(conn.data_to_send())
    first_status, goaway, closed = None, None, False
    deadline = time.monotonic() + SLACK
    while first_status is None and time.monotonic() < deadline:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        data = s.recv(65536)
        if not data:
            closed = True
            break
        for ev in conn.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == sid:
                first_status = dict(ev.headers).get(b":status")
        s.sendall(conn.data_to_send())
    # The burst: requests cancelled right after they are sent (CVE-2023-44487).
    sent = 0
    try:
        for _ in range(bursts):
            sid = conn.get_next_available_stream_id()
            conn.send_headers(sid, headers)
            conn.reset_stream(sid)
            sent += 1
            if sent % 50 == 0:
                s.sendall(conn.data_to_send())
        s.sendall(conn.data_to_send())
    except (OSError, h2.exceptions.ProtocolError):
        pass
    start = time.monotonic()
    deadline = start + SLACK
    while not closed and time.monotonic() < deadline:
        try:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            data = s.recv(65536)
        except (OSError, ssl.SSLError):
            closed = True
            break
        if not data:
            closed = True
            break
        try:
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.ConnectionTerminated):
                    goaway = ev.error_code
        except h2.exceptions.ProtocolError:
            pass
        try:
            s.sendall(conn.data_to_send())
        except OSError:
            pass
    s.close()
    return first_status, goaway, (closed, sent, time.monotonic() - start)


def pipelined_flood(port, conns=8, per_conn=250):
    """HTTP/1.1 requests pipelined without reading any answer until all are written (the server
    must stop reading ahead, not queue them all), then every answer must arrive, in order.
    250 answers (~400 KB) fit the client's socket buffer, so the client cannot deadlock itself."""
    socks = [tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                       server_hostname="localhost") for _ in range(conns)]
    req = post("/mutate", REVIEW)
    try:
        for s in socks:
            s.settimeout(SLACK)
            s.sendall(req * per_conn)  # blocks while the server applies back-pressure, then drains
    except OSError as e:
        for s in socks:
            s.close()
        return f"send failed: {type(e).__name__}: {e}", conns * per_conn
    answered = 0
    deadline = time.monotonic() + 2 * SLACK
    for s in socks:
        buf = b""
        for _ in range(per_conn):
            r, buf = read_response_rest(s, deadline, buf)
            if r is None or r[0] != 200:
                break
            answered += 1
        s.close()
    return answered, conns * per_conn


def oversized_headers(port):
    """A 200 KB header line and 20,000 small headers: 431 and the connection closed."""
    out = []
    for head in (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 20_000 + b"\r\n"):
        s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                      server_hostname="localhost")
        try:
            s.sendall(head)
        except OSError:
            pass  # the server may answer and close before reading it all
        try:
            r = read_response(s, time.monotonic() + SLACK)
            out.append(r[0] if r else None)
        except Exception as e:
            out.append(f"{type(e).__name__}")
        s.close()
    return out


def malformed(port):
    """Bad bodies on one keep-alive connection: 400/415 with a one-line message each."""
    cases = [
        (b"{", "application/json", 400),
        (b"not json at all", "application/json", 400),
        (b"[1, 2", "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b"{}", "application/json", 400),
        (b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', "application/json", 400),
        (b'{"apiVersion":"v2","kind":"AdmissionReview","request":{}}', "application/json", 400),
        (b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":7}}', "application/json", 400),
        (b"[" * 100000, "application/json", 400),
        (b'{"a":"' + b"\\u" + b'zz"}', "application/json", 400),
        (REVIEW, "text/plain", 415),
    ]
    results = []
    s = None
    for body, ctype, want in cases:
        try:
            if s is None:
                s = tls_context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                              server_hostname="localhost")
            s.sendall(post("/mutate", body, ctype))
            r = read_response(s, time.monotonic() + 30)
            if r is None:
                results.append((want, None, "closed"))
                s.close(); s = None
                continue
            status, headers, text = r
            results.append((want, status, text))
            if headers.get("connection", "").lower() == "close":
                s.close(); s = None
        except Exception as e:
            results.append((want, None, f"{type(e).__name__}: {e}"))
            if s is not None:
                s.close()
            s = None
    if s is not None:
        s.close()
    return results


# ------------------------------------------------------------------------------------- main

with open(os.path.join(EXAMPLES, "pod-create-review.json"), "rb") as f:
    REVIEW = f.read()


def main():
    binary = sys.argv[1]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = IDLE_RAW + IDLE_TLS + 1024
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))  # inherited by the server
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft < want:
        check(f"RLIMIT_NOFILE at least {want}", False, f"hard limit {hard}")
        return 1

    port, mport = free_port(), free_port()
    log = tempfile.NamedTemporaryFile(prefix="mpa-adversarial-", suffix=".log", delete=False)
    server = subprocess.Popen([binary, "serve", "--bind-address", "127.0.0.1", "--port", str(port),
                               "--tls-cert-file", os.path.join(CERTS, "server.pem"),
                               "--tls-private-key", os.path.join(CERTS, "server.key"),
                               "--state", EXAMPLES, "--metrics-address", f"127.0.0.1:{mport}",
                               "--log-level", "warning", "--shutdown-grace", "5s"],
                              stdout=log, stderr=subprocess.STDOUT)
    sampler = RSSSampler(server.pid)
    stream = None
    t0 = time.monotonic()
    try:
        deadline = time.monotonic() + 60
        while plain_get(mport, "/readyz", 2) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                check("server ready", False, f"exit {server.poll()}")
                return 1
            time.sleep(0.1)
        sampler.read()
        baseline = sampler.peak_rss
        sampler.start()
        stream = SteadyStream(port, REVIEW)
        stream.start()
        deadline = time.monotonic() + 30
        while stream.ok < 5 and not stream.errors and time.monotonic() < deadline:
            time.sleep(0.05)
        check("steady stream started", stream.ok >= 5 and not stream.errors, f"{stream.ok} ok, {stream.errors[:1]}")

        def phase(name, fn):
            if server.poll() is not None:  # nothing left to attack: fail fast instead of timing out
                check(f"[{name}] server alive at the start", False, f"exit {server.poll()}")
                return
            before = stream.ok
            try:
                fn()
            except Exception as e:  # a client-side surprise (the server gone?) is a failure, not a crash
                check(f"[{name}] attacks ran", False, f"{type(e).__name__}: {e}")
            # the stream must have moved on during (or right after) every phase
            d = time.monotonic() + 30
            while stream.ok <= before and time.monotonic() < d:
                time.sleep(0.05)
            check(f"[{name}] steady stream kept going", stream.ok > before and not stream.errors,
                  f"{stream.ok - before} answers, {len(stream.errors)} errors")

        idle_tls, idle_opened = open_idle_tls(port)

        # Phase 1: everything that waits for a server timeout runs at once.
        def timeouts():
            slow_h, slow_b, half = [], [], []
            threads = slowloris_headers(port, slow_h) + slowloris_body(port, slow_b) + half_done_tls(port, half)
            idle_connections(port, stream)
            for t in threads:
                t.join(SERVER_TIMEOUT + 2 * SLACK)
            bad = [r for r in slow_h if not r[0]]
            check("slowloris headers: every connection ended by the server (408/close)",
                  len(slow_h) == 10 and not bad,
                  f"after {max((r[1] for r in slow_h if r[0]), default=0):.1f}s max; first answer bytes {slow_h[0][2] if slow_h else None!r}; {bad[:1]}")
            bad = [r for r in slow_b if not r[0]]
            check("slowloris body trickle: every connection ended by the server (408/close)",
                  len(slow_b) == 10 and not bad,
                  f"after {max((r[1] for r in slow_b if r[0]), default=0):.1f}s max; {bad[:1]}")
            bad = [r for r in half if not r[1]]
            check("half-done TLS handshakes closed by the handshake timeout", len(half) == 15 and not bad,
                  f"after {max((r[2] for r in half if r[1]), default=0):.1f}s max; {bad[:1]}")
        phase("timeouts", timeouts)

        def bodies():
            for chunked in (False, True):
                status, secs, mib = huge_body(port, chunked)
                kind = "chunked" if chunked else "Content-Length"
                check(f"100 MiB body ({kind}) refused with 413 quickly", status == 413 and secs < SLACK,
                      f"status {status} after {secs:.2f}s, {mib:.1f} MiB sent before the server stopped reading")
        phase("100 MiB bodies", bodies)

        def junk():
            results = garbage(port)
            bad = [r for r in results if not r[0]]
            check("garbage instead of TLS: every connection closed", not bad,
                  f"{len(results)} connections, slowest {max(r[1] for r in results):.2f}s")
        phase("garbage", junk)

        def h2_reset():
            for i in range(3):
                first, goaway, (closed, sent, secs) = rapid_reset(port)
                check(f"HTTP/2 works before burst {i + 1} (200)", first == b"200", f"status {first!r}")
                check(f"HTTP/2 rapid reset burst {i + 1}: GOAWAY ENHANCE_YOUR_CALM and the connection closed",
                      goaway == 11 and closed,
                      f"GOAWAY code {goaway}, closed {closed}, {sent} resets sent, {secs:.2f}s")
        phase("h2 rapid reset", h2_reset)

        def bad_json():
            for want, status, text in malformed(port):
                line = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
                one_line = bool(line.strip()) and "\n" not in line.strip() and len(line) < 1000
                check(f"bad review -> {want}", status == want and one_line, f"{status}: {line.strip()[:100]}")
        phase("malformed", bad_json)

        def floods():
            answered, total = pipelined_flood(port)
            check("HTTP/1.1 pipelined flood: every answer arrives (server reads ahead a bounded amount)",
                  answered == total, f"{answered}/{total}")
            statuses = oversized_headers(port)
            check("oversized headers (200 KB line, 20,000 lines) -> 431", statuses == [431, 431], f"{statuses}")
        phase("pipelining and headers", floods)
        use_idle_tls(idle_tls, idle_opened)

        stream.stop.set()
        stream.join(60)
        check("valid stream saw no errors", not stream.errors and stream.ok > 0,
              f"{stream.ok} admissions ok, {len(stream.errors)} errors {stream.errors[:3]}, "
              f"{stream.reconnects} server-side closes, max latency {stream.max_latency:.2f}s")
        check("server alive", server.poll() is None, f"exit {server.poll()}")
        check("/healthz 200", plain_get(mport, "/healthz") == 200)
        check("/readyz 200", plain_get(mport, "/readyz") == 200)
        sampler.stop.set()
        sampler.join()
        sampler.read()
        peak = max(sampler.peak_rss, sampler.hwm) / 1024
        check(f"RSS stayed under {RSS_BOUND_MIB} MiB", peak < RSS_BOUND_MIB,
              f"baseline {baseline / 1024:.1f} MiB, sampled VmRSS peak {sampler.peak_rss / 1024:.1f} MiB, "
              f"VmHWM {sampler.hwm / 1024:.1f} MiB")
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(30)
        except subprocess.TimeoutExpired:
            code = "still running 30s after SIGTERM"
        check("SIGTERM after the attacks: exit 0", code == 0, f"exit {code}")
    finally:
        if stream is not None:
            stream.stop.set()
        sampler.stop.set()
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    print(f"{passes} passed, {len(failures)} failed in {time.monotonic() - t0:.0f}s"
          + (f" (server log: {log.name})" if failures else ""))
    if not failures:
        os.unlink(log.name)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
