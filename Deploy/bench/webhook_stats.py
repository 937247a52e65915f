#!/usr/bin/env python3
"""Joins the receiver's log with the events' write times: delivery rate and latency.

Usage: webhook_stats.py RECEIVED_LOG CREATED_TSV
CREATED_TSV lines are `<event id>\t<created_at unix time>` for the events measured. Prints
`count rate_per_s p50_ms p95_ms p99_ms max_ms` over each event's first arrival; the rate is
events over the span from the first write to the last arrival.
"""
import sys

created = {}
for line in open(sys.argv[2]):
    event, at = line.split()
    created[event] = float(at)
arrived = {}
for line in open(sys.argv[1]):
    event, _attempt, at, _ok, _port = line.split()
    if event in created and event not in arrived:
        arrived[event] = float(at)
missing = len(created) - len(arrived)
if missing:
    sys.exit(f"{missing} of {len(created)} events never arrived")
latencies = sorted((arrived[e] - created[e]) * 1000 for e in created)
def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
span = max(arrived.values()) - min(created.values())
print(f"{len(latencies)} {len(latencies) / span:.0f} {pct(50):.1f} {pct(95):.1f} {pct(99):.1f} {latencies[-1]:.1f}")
