"""A latency + per-account quota proxy in front of the emulator, for the DNS benchmarks: every
request waits LATENCY_MS before it is forwarded (a round trip to AWS), and each account's Route53
requests are held to RPS a second with a burst of RPS (a token bucket, as AWS's quota); a request
over it is answered with Route53's `Throttling` error, as AWS does, and counted.

The account of a request is the account of the access key that signed it: learned from the
sts:AssumeRole answers the proxy forwards (the role ARN asked for, the AccessKeyId handed out);
any other key counts as an account of its own (the caller's own account).

Usage: quota_proxy.py UPSTREAM PORT LATENCY_MS RPS
  GET /__stats answers `requests throttled` (plain text); GET /__detail one line per API and answer,
  `count service action status retry`, where retry counts the requests a client marked as a second
  or later attempt (the SDKs' `amz-sdk-request: attempt=N` header); POST /__reset sets all to 0.
Only the standard library (any python3)."""

import http.client
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

upstream = urlsplit(sys.argv[1])
port, latency, rps = int(sys.argv[2]), int(sys.argv[3]) / 1000.0, float(sys.argv[4])

lock = threading.Lock()
keys = {}  # access key id -> account id
buckets = {}  # account -> (tokens, last refill)
stats = {"requests": 0, "throttled": 0}
detail = {}  # (service, action, status, retry) -> requests

THROTTLED = (
    b'<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
    b"<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    b"<RequestId>quota-proxy</RequestId></ErrorResponse>"
)


def action_of(service, method, path, headers, body):
    """The API a request calls: the query protocol's Action, the JSON protocol's target, or
    Route53's REST path."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    if body.startswith(b"Action=") or b"&Action=" in body:
        return parse_qs(body.decode()).get("Action", ["?"])[0]
    if service == "route53":
        parts = urlsplit(path).path.strip("/").split("/")[1:]
        if parts == ["hostedzone"]:
            return "ListHostedZones" if method == "GET" else "CreateHostedZone"
        if len(parts) == 2 and parts[0] == "hostedzone":
            return "GetHostedZone"
        if len(parts) == 3 and parts[2] == "rrset":
            return "ListResourceRecordSets" if method == "GET" else "ChangeResourceRecordSets"
        return f"{method} /{'/'.join(parts[:1])}"
    return f"{method} {path}"


def count(service, action, status, retry):
    with lock:
        k = (service or "-", action, status, retry)
        detail[k] = detail.get(k, 0) + 1


def take(account):
    """One token from the account's bucket; False when it is empty."""
    now = time.monotonic()
    with lock:
        tokens, last = buckets.get(account, (rps, now))
        tokens = min(rps, tokens + (now - last) * rps)
        if tokens < 1:
            buckets[account] = (tokens, now)
            return False
        buckets[account] = (tokens - 1, now)
        return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        if self.path == "/__stats":
            with lock:
                text = f"{stats['requests']} {stats['throttled']}\n"
            return self.answer(200, text.encode())
        if self.path == "/__detail":
            with lock:
                text = "".join(
                    f"{n} {s} {a} {st} {'retry' if r else 'first'}\n"
                    for (s, a, st, r), n in sorted(detail.items())
                )
            return self.answer(200, text.encode())
        if self.path == "/__reset":
            with lock:
                stats.update(requests=0, throttled=0)
                detail.clear()
                buckets.clear()
            return self.answer(200, b"ok\n")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        m = re.search(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/", auth)
        key, service = (m.group(1), m.group(2)) if m else ("", "")
        action = action_of(service, self.command, self.path, self.headers, body)
        attempt = re.search(r"attempt=(\d+)", self.headers.get("amz-sdk-request", ""))
        retry = bool(attempt and int(attempt.group(1)) > 1)
        with lock:
            stats["requests"] += 1
            account = keys.get(key, key)
        if service == "route53" and not take(account):
            with lock:
                stats["throttled"] += 1
            count(service, action, 400, retry)
            time.sleep(latency)
            return self.answer(400, THROTTLED, [("Content-Type", "text/xml")])
        time.sleep(latency)
        assume_into = None
        if service == "sts" and b"AssumeRole" in body:
            arn = parse_qs(body.decode()).get("RoleArn", [""])[0]
            parts = arn.split(":")
            assume_into = parts[4] if len(parts) > 4 else None
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request(self.command, self.path, body=body, headers=headers)
        res = conn.getresponse()
        data = res.read()
        conn.close()
        count(service, action, res.status, retry)
        if assume_into:
            m = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", data)
            if m:
                with lock:
                    keys[m.group(1).decode()] = assume_into
        skip = {"content-length", "connection", "transfer-encoding"}
        self.answer(res.status, data, [(k, v) for k, v in res.getheaders() if k.lower() not in skip])

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
server.request_queue_size = 1024
print(f"quota proxy on {port}: {latency * 1000:.0f} ms, {rps:g} Route53 req/s per account", flush=True)
server.serve_forever()
