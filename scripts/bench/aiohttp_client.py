#!/usr/bin/env python3
"""aiohttp_client.py URL REQUESTS CONCURRENCY...

The Python side of client-throughput: the same completion request as acbench-bench-client,
C coroutines over one aiohttp session limited to C connections, JSON decoded like the Swift client.
Prints `python C REQUESTS SECONDS REQ_PER_S CPU_US_PER_REQUEST` per concurrency.
"""
import asyncio, resource, sys, time
import aiohttp

BODY = {"model": "noop", "prompt": "The quick brown fox jumps over the lazy dog.",
        "max_tokens": 16, "temperature": 0.0, "top_p": 1.0}


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


async def drive(session, url, count, concurrency):
    async def worker(share):
        for _ in range(share):
            async with session.post(url, json=BODY) as r:
                if r.status != 200:
                    raise RuntimeError(f"HTTP {r.status}: {await r.text()}")
                reply = await r.json()
                reply["choices"][0]["text"]
    shares = [count // concurrency + (1 if w < count % concurrency else 0) for w in range(concurrency)]
    await asyncio.gather(*(worker(s) for s in shares))


async def main(base, total, concurrencies):
    url = base.rstrip("/") + "/v1/completions"
    for c in concurrencies:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=c)) as session:
            await drive(session, url, c, c)
            start, cpu_start = time.perf_counter(), cpu_seconds()
            await drive(session, url, total, c)
            secs, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        print(f"python {c} {total} {secs} {total / secs} {cpu / total * 1e6}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3:]]))
