#!/usr/bin/env python3
"""A hospital's webhook endpoint on loopback, for the webhook benchmark and the restart test.

Answers every POST with 200 (HTTP/1.1, keep-alive) and appends one line per request to --log:
`<Cordon-Event-Id> <attempt> <arrival unix time> <signature ok: 1/0/-> <client port>`. With --secret-file it
checks the Cordon-Signature header, as a hospital would, with the secret in that file (read on
each request, so it may be written after the receiver starts) and answers 401 when it does not
verify. With
--hang-first N it holds the very first request N seconds before answering, as an endpoint does
when the sender dies under it. Prints `listening on PORT` once ready (--port 0 picks a free one).
"""
import argparse, hashlib, hmac, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--log", required=True)
parser.add_argument("--secret-file")
parser.add_argument("--hang-first", type=float, default=0)
args = parser.parse_args()
lock = threading.Lock()
log = open(args.log, "a", buffering=1)
first = [True]


def verified(header, body):
    try:
        secret = open(args.secret_file).read().strip() if args.secret_file else ""
    except FileNotFoundError:
        secret = ""
    if not secret:
        return "-"
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    expected = hmac.new(secret.encode(), f"{fields.get('t', '')}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields.get("t", "0"))) <= 300
    return "1" if fresh and hmac.compare_digest(expected, fields.get("v1", "")) else "0"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        arrived = time.time()
        ok = verified(self.headers.get("Cordon-Signature", ""), body)
        with lock:
            log.write(f"{self.headers.get('Cordon-Event-Id', '-')} {self.headers.get('Cordon-Delivery-Attempt', '-')} {arrived:.6f} {ok} {self.client_address[1]}\n")
            hang, first[0] = first[0] and args.hang_first > 0, False
        if hang:
            time.sleep(args.hang_first)
        status = 401 if ok == "0" else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
