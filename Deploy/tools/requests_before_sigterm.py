#!/usr/bin/env python3
"""Sends COUNT complete `GET /health/live` requests, each on a fresh connection, to 127.0.0.1:PORT,
then SIGTERM to PID 30 ms later, and reads every answer. Also asks /health/ready on a new
connection just after the signal. Prints one JSON object: answered (200s), reset, other, and
ready (the status readiness gave, or null when it gave none).

Usage: requests_before_sigterm.py PORT PID COUNT
"""
import json, os, signal, socket, sys, time

port, pid, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def request(path):
    connection = socket.create_connection(("127.0.0.1", port), timeout=20)
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return connection


def status(connection):
    """The answer's status code, or the name of what went wrong instead."""
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = connection.recv(4096)
            if not chunk:
                return "closed"
            data += chunk
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"
    finally:
        connection.close()
    return int(data.split(b" ", 2)[1])


sent = [request("/health/live") for _ in range(count)]
time.sleep(0.03)
os.kill(pid, signal.SIGTERM)
time.sleep(0.05)
try:
    ready = status(request("/health/ready"))
except OSError:
    ready = None
outcomes = [status(connection) for connection in sent]
print(json.dumps({
    "answered": sum(1 for o in outcomes if o == 200),
    "reset": sum(1 for o in outcomes if o == "reset"),
    "other": [str(o) for o in outcomes if o not in (200, "reset")],
    "ready": ready,
}))
