"""The intake load generator, run as a separate process: ``python -m bench.load --port P ...``.

Posts realistic public alerts to ``POST /api/v1/alerts/`` on 127.0.0.1 only, with a bounded number
of requests and a bounded time, and prints one JSON object with the throughput and latencies."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import sys
import time
from typing import Any

HOST = "127.0.0.1"  # never anything else: the benchmark loads only the local server
MUNICIPALITIES = [("0501", 20), ("0502", 6), ("0511", 3), ("0512", 2), ("0506", 3), ("0801", 28), ("0824", 1),
                  ("0101", 4), ("0107", 1), ("0301", 2), ("0401", 2), ("0601", 2), ("0701", 2), ("1501", 2),
                  ("1601", 1), ("1804", 2), ("1801", 1), ("1101", 1), ("1401", 1)]  # fmt: skip
SIGNALS = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10", "S11", "S12", "S13", "S14", "S15"]
NARRATIVES = [
    "Una vecina informa que una adolescente es obligada a atender clientes en un bar de la colonia por las noches.",
    "Se reporta que a una joven le ofrecieron trabajo de mesera en otra ciudad y ahora no la dejan salir.",
    "Trabajadores de una finca no reciben salario desde hace meses y no pueden irse por una deuda.",
    "Una madre informa que una pandilla obliga a su hijo a transportar droga bajo amenazas.",
    "Vecinos ven a un niño pidiendo dinero todos los días; un adulto le quita lo recaudado.",
]


def payload(rng: random.Random, number: int, run: str) -> bytes:
    codes, weights = zip(*MUNICIPALITIES, strict=True)
    persons = []
    for _ in range(1 if rng.random() < 0.75 else 2):
        age = rng.choice([None, 14, 15, 16, 17, 19, 22, 25, 31])
        group = "unknown" if age is None else ("child" if age < 18 else "adult")
        persons.append({"age": age, "age_group": group, "sex": "female" if rng.random() < 0.8 else "male"})
    body = {
        "narrative": rng.choice(NARRATIVES),
        "municipality": rng.choices(codes, weights=weights)[0],
        "signals": sorted(rng.sample(SIGNALS, rng.randint(1, 4))),
        "happening_now": rng.random() < 0.2,
        "persons": persons,
        "idempotency_key": f"bench-{run}-{number}",
    }
    return json.dumps(body).encode()


def request_bytes(port: int, body: bytes) -> bytes:
    head = (
        f"POST /api/v1/alerts/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nAccept-Language: es\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def one(port: int, data: bytes, timeout: float) -> int:
    """One request on its own connection, with the event loop's socket calls: the load generator
    shares the machine's cores with the server it measures, and streams and ``wait_for`` tasks
    would cost it several times the CPU."""
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as connection:
        connection.setblocking(False)
        async with asyncio.timeout(timeout):
            await loop.sock_connect(connection, (HOST, port))
            await loop.sock_sendall(connection, data)
            first = await loop.sock_recv(connection, 65536)
            while await loop.sock_recv(connection, 65536):  # Connection: close, the server ends the body
                pass
    return int(first.split(b" ", 2)[1])


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    run_id = f"{args.seed}-{int(time.time())}"
    bodies = [request_bytes(args.port, payload(rng, n, run_id)) for n in range(args.warmup + args.requests)]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    counter = iter(range(len(bodies)))
    deadline = time.monotonic() + args.max_seconds
    started: list[float] = []

    async def worker() -> None:
        for number in counter:
            if time.monotonic() > deadline:
                return
            if number == args.warmup:
                started.append(time.perf_counter())
            begin = time.perf_counter()
            try:
                status = await one(args.port, bodies[number], args.timeout)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0
            if number >= args.warmup:
                latencies.append((time.perf_counter() - begin) * 1000)
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    ended = time.perf_counter()
    elapsed = ended - (started[0] if started else ended)
    ok = statuses.get("201", 0)
    return {
        "requests": len(latencies),
        "ok": ok,
        "errors": len(latencies) - ok,
        "statuses": statuses,
        "elapsed_s": round(elapsed, 3),
        "throughput_per_s": round(ok / elapsed, 1) if elapsed > 0 else None,
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies) if latencies else None,
        "concurrency": args.concurrency,
        "timed_out": time.monotonic() > deadline,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=90.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not (1 <= args.requests <= 1_000_000 and 1 <= args.concurrency <= 256):
        parser.error("requests must be 1..1,000,000 and concurrency 1..256")
    print(json.dumps(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
