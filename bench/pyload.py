"""Fallback load generator when wrk is missing: one thread per connection, new connection per request.

Run as `python -m bench.pyload URL METHOD TARGET LINES_FILE SECONDS CONNECTIONS`; prints one JSON line.
Python's own overhead caps what it can drive, so its figures are lower than wrk's; ratios stay usable.
"""
from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def main(argv: list[str]) -> None:
    base_url, method, target, lines_file, seconds, connections = argv
    seconds, connections = float(seconds), int(connections)
    with open(lines_file) as handle:
        items = [line.rstrip("\n") for line in handle if line.strip()]
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [[0, 0] for _ in range(connections)]  # errors, bad status
    received = [0] * connections  # body bytes
    stop_at = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        index = slot * len(items) // connections
        while time.perf_counter() < stop_at:
            index = (index + 1) % len(items)
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=10)
                if method == "POST":
                    conn.request("POST", target, body=items[index].encode(), headers={"Content-Type": "application/json"})
                else:
                    conn.request("GET", items[index])
                response = conn.getresponse()
                received[slot] += len(response.read())
                conn.close()
            except OSError:
                failures[slot][0] += 1
                continue
            latencies[slot].append(time.perf_counter() - started)
            if response.status >= 400:
                failures[slot][1] += 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for slot in latencies for x in slot)

    def pct(p: float) -> float:
        return round(every[min(len(every) - 1, int(p / 100 * len(every)))] * 1000, 3) if every else 0.0

    print(json.dumps({
        "requests": len(every), "seconds": round(elapsed, 3), "requests_per_second": round(len(every) / elapsed, 1),
        "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "max_ms": round(every[-1] * 1000, 3) if every else 0.0,
        "errors": sum(f[0] for f in failures), "bad_status": sum(f[1] for f in failures),
        "bytes_per_response": sum(received) // max(1, len(every)),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
