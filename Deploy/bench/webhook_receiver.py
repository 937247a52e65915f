#!/usr/bin/env python3
"""A hospital's webhook endpoint on loopback, for the webhook benchmark and the restart test.

Answers every POST with 200 (HTTP/1.1, keep-alive) and appends one line per request to --log:
`<Cordon-Event-Id> <attempt> <arrival unix time> <signature ok: 1/0/-> <client port>`. With --secret-file it
checks the Cordon-Signature header, as a hospital would, with the secret in that file (read on
each request, so it may be written after the receiver starts) and answers 401 when it does not
verify. With --hang-first N it holds the very first request N seconds before answering, as an endpoint does
when the sender dies under it. Prints `listening on PORT` once ready (--port 0 picks a free one).

One asyncio loop serves every connection. A thread per connection, as http.server has it, made
the receiver itself the bottleneck: each request arriving in two TCP segments (head, then body,
as most HTTP clients send it) waited on Python's GIL twice, while wrk's one-segment requests
did not, so the benchmark's baseline and Cordon were not measured against the same receiver.
"""
import argparse, asyncio, hashlib, hmac, time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--log", required=True)
parser.add_argument("--secret-file")
parser.add_argument("--hang-first", type=float, default=0)
args = parser.parse_args()
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
    try:
        fresh = abs(time.time() - int(fields.get("t", "0"))) <= 300
    except ValueError:
        fresh = False
    return "1" if fresh and hmac.compare_digest(expected, fields.get("v1", "")) else "0"


async def serve(reader, writer):
    port = writer.get_extra_info("peername")[1]
    try:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            arrived = time.time()
            ok = verified(headers.get("cordon-signature", ""), body)
            log.write(f"{headers.get('cordon-event-id', '-')} {headers.get('cordon-delivery-attempt', '-')} {arrived:.6f} {ok} {port}\n")
            hang, first[0] = first[0] and args.hang_first > 0, False
            if hang:
                await asyncio.sleep(args.hang_first)
            status = b"401 Unauthorized" if ok == "0" else b"200 OK"
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", args.port)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
