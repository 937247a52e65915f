#!/usr/bin/env python3
"""The failover drill's client: 8 writers record test results through the Cordon frontend
while the leading PostgreSQL node is killed; then every write that was acknowledged is looked
for. Prints writes acknowledged, writes lost (acknowledged, then absent), the longest stretch
without a successful write, and answers that were 5xx but not 503.

Usage: failover_drill.py BASE_URL TOKEN_FILE KILL_COMMAND [--seconds 40] [--kill-at 10]
(the token is read from a file: a command line is visible to every user in `ps`)
"""
import argparse, http.client, json, subprocess, threading, time, urllib.parse, uuid

parser = argparse.ArgumentParser()
parser.add_argument("base"); parser.add_argument("token_file"); parser.add_argument("kill")
parser.add_argument("--seconds", type=float, default=40); parser.add_argument("--kill-at", type=float, default=10)
args = parser.parse_args()
target = urllib.parse.urlparse(args.base)
with open(args.token_file) as f:
    token = f.read().strip()
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

def call(method, path, body=None, extra=None, timeout=30):
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=timeout)
    try:
        connection.request(method, path, body, {**headers, **(extra or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()

status, body = call("GET", "/sites/1/patients?status=admitted&limit=8")
patients = [p["id"] for p in json.loads(body)["items"]]
lock = threading.Lock()
acknowledged, successes, other5xx, unavailable, failed_connections = [], [], {}, 0, 0
start = time.time(); stop = start + args.seconds

def writer(patient):
    global unavailable, failed_connections
    while time.time() < stop:
        key = str(uuid.uuid4())
        body = json.dumps({"sampledAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600)), "result": "negative"})
        try:
            status, answer = call("POST", f"/sites/1/patients/{patient}/test-results", body, {"Idempotency-Key": key})
        except Exception:
            status, answer = None, b""
        now = time.time()
        with lock:
            if status == 201:
                acknowledged.append((patient, json.loads(answer)["id"])); successes.append(now)
            elif status == 503:
                unavailable += 1
            elif status is None:
                failed_connections += 1
            elif status >= 500:
                other5xx[status] = other5xx.get(status, 0) + 1
        time.sleep(0.02)

threads = [threading.Thread(target=writer, args=(p,)) for p in patients]
for t in threads: t.start()
time.sleep(args.kill_at)
killed = time.time()
print(subprocess.run(args.kill, shell=True, capture_output=True, text=True).stdout.strip())
for t in threads: t.join()

# Every acknowledged write must be there on whichever node leads now.
present = set()
for patient in patients:
    for _ in range(30):
        try:
            status, body = call("GET", f"/sites/1/patients/{patient}/test-results")
            if status == 200:
                present |= {(patient, t["id"]) for t in json.loads(body)["items"]}
                break
        except Exception:
            pass
        time.sleep(1)
lost = [w for w in acknowledged if w not in present]
timeline = sorted([start] + successes + [stop])
gaps = [(b - a, a) for a, b in zip(timeline, timeline[1:])]
gap, at = max(gaps)
after = [s for s in successes if s > killed]
print(f"writers: {len(patients)} for {args.seconds:.0f} s, the leader killed at {args.kill_at:.0f} s")
print(f"writes acknowledged: {len(acknowledged)}")
print(f"writes lost (acknowledged, then absent): {len(lost)}")
print(f"longest stretch without a successful write: {gap:.2f} s (from {at - start:.1f} s)")
print(f"first success after the kill: {(after[0] - killed) if after else float('nan'):.2f} s")
print(f"503 answers: {unavailable}; other 5xx: {other5xx or 0}; connections refused or dropped: {failed_connections}")
