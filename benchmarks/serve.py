"""The preview's latency: from saving a review to the updated page being served.

A workspace of 30 synthetic reviews (benchmarks/generate.py) is served by `anthology serve`'s
server in this process; each round appends a sentence to one review, then asks for that chapter
(as the open page does) until the sentence is in it, and asks for its print proof, so the next
round runs while a proof is laid out in the background, as it would for an author. Target: at
most 1 s a round. Usage: python -m benchmarks serve
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from pathlib import Path

from anthology.serve import PreviewServer
from benchmarks.generate import generate

REVIEWS = 30
WORDS = 2500
ROUNDS = 8
TARGET_SECONDS = 1.0
TIMEOUT_SECONDS = 30.0


def fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode("utf-8")
    finally:
        connection.close()


def one_round(root: Path, port: int, number: int) -> float:
    index = 1 + (number * 7) % REVIEWS
    path = root / "volumes" / f"synthetic-{REVIEWS}" / f"film-{index:04d}.md"
    page = f"/v/synthetic-{REVIEWS}/ch-film-{index:04d}.xhtml"
    sentence = f"Round {number} adds this sentence after another viewing."
    text = path.read_text(encoding="utf-8") + f"\n{sentence}\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text)
    saved = time.perf_counter()
    while sentence not in fetch(port, page):
        if time.perf_counter() - saved > TIMEOUT_SECONDS:
            raise SystemExit(f"round {number}: the page was not updated in {TIMEOUT_SECONDS} s")
        time.sleep(0.005)
    served = time.perf_counter() - saved
    fetch(port, f"/_anthology/status?page={page}")  # the open page asks for its proof
    return served


def main(folder: Path) -> None:
    root = generate(folder / "serve", REVIEWS, words=WORDS)
    started = time.perf_counter()
    server = PreviewServer(root, 0)
    server.start()
    ready = time.perf_counter() - started
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    try:
        times = []
        for number in range(1, ROUNDS + 1):
            times.append(one_round(root, port, number))
            time.sleep(0.3)
    finally:
        server.shutdown()
        server.close()
    worst = max(times)
    print(f"anthology serve, {REVIEWS} reviews of about {WORDS} words: ready in {ready:.2f} s")
    print("| round | save to updated page served (s) |")
    print("|---:|---:|")
    for number, seconds in enumerate(times, start=1):
        print(f"| {number} | {seconds:.3f} |")
    verdict = "ok" if worst <= TARGET_SECONDS else "TOO SLOW"
    print(f"median {statistics.median(times):.3f} s, worst {worst:.3f} s "
          f"(target at most {TARGET_SECONDS:.0f} s): {verdict}")
