#!/usr/bin/env python3
"""A stand-in for `vllm serve` in ServerManager tests (Python stdlib only).

usage: fake_server.py MODEL --port N [--host H] [--served-model-name NAME] [other vLLM flags, ignored]

Serves GET /health, GET /v1/models and POST /v1/completions like vLLM's OpenAI server, after an
optional start-up delay, and mimics vLLM's process tree and failure modes. Behaviour comes from
environment variables:
  FAKE_MODE            ok (default) | exit   (print FAKE_MESSAGE and exit 3 before listening)
                       | oom (print vLLM's CPU memory error, exit 1) | hang (never listen)
                       | die-on-request (healthy, then the first completion kills the server, as an
                         unsupported head_dim does)
  FAKE_MESSAGE         text printed by FAKE_MODE=exit
  FAKE_DELAY           seconds before listening (default 0.2)
  FAKE_BUSY_PORTS      comma-separated ports treated as taken (exits like uvicorn with errno 98)
  FAKE_CHILDREN        number of helper processes to fork (like EngineCore/Worker); they stay in the
                       process group and survive the parent's SIGKILL
  FAKE_IGNORE_TERM=1   the helpers ignore SIGTERM (forces the SIGKILL escalation)
  FAKE_PIDS_FILE       append "pid" of every process (server and helpers) to this file
A model folder without config.json fails like vLLM with a bad path.
"""
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args(argv):
    model, opts, i = None, {}, 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                opts[arg] = argv[i + 1]; i += 2
            else:
                opts[arg] = True; i += 1
        else:
            if model is None:
                model = arg
            i += 1
    return model, opts


def record_pid(pid):
    path = os.environ.get("FAKE_PIDS_FILE")
    if path:
        with open(path, "a") as f:
            f.write(f"{pid}\n")


def spawn_helpers(count, ignore_term):
    for n in range(count):
        pid = os.fork()
        if pid == 0:
            if ignore_term:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            else:
                signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            record_pid(os.getpid())
            while True:
                time.sleep(1)
        print(f"(fake) started helper {n} pid {pid}", flush=True)


def main():
    model, opts = parse_args(sys.argv[1:])
    port = int(opts.get("--port", 8000))
    host = opts.get("--host", "0.0.0.0")
    name = opts.get("--served-model-name", model)
    mode = os.environ.get("FAKE_MODE", "ok")
    record_pid(os.getpid())
    print(f"(fake) serving {model} as {name} on {host}:{port}, mode {mode}", flush=True)

    if not model or not os.path.isfile(os.path.join(model, "config.json")):
        print(f"OSError: {model} does not appear to have a file named config.json.", flush=True)
        sys.exit(1)
    spawn_helpers(int(os.environ.get("FAKE_CHILDREN", "0")), os.environ.get("FAKE_IGNORE_TERM") == "1")
    time.sleep(float(os.environ.get("FAKE_DELAY", "0.2")))
    if mode == "exit":
        print(os.environ.get("FAKE_MESSAGE", "RuntimeError: fake failure"), flush=True)
        sys.exit(3)
    if mode == "oom":
        print("ValueError: Available memory on node 0 (17.75/19.71 GiB) on startup is less than desired "
              "CPU memory utilization (0.92, 18.14 GiB)", flush=True)
        sys.exit(1)
    if mode == "hang":
        while True:
            time.sleep(1)
    if str(port) in os.environ.get("FAKE_BUSY_PORTS", "").split(","):
        print(f"ERROR: [Errno 98] error while attempting to bind on address ('{host}', {port}): "
              "address already in use", flush=True)
        sys.exit(1)

    class Handler(BaseHTTPRequestHandler):
        def reply(self, status, body):
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                self.reply(200, None)
            elif self.path == "/v1/models":
                self.reply(200, {"object": "list", "data": [{"id": name, "object": "model", "root": model}]})
            else:
                self.reply(404, {"detail": "Not Found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            self.rfile.read(length)
            if self.path != "/v1/completions":
                return self.reply(404, {"detail": "Not Found"})
            if mode == "die-on-request":
                print("RuntimeError: Unsupported CPU attention configuration: head_dim=16 isa=2 kv_cache_idx=0",
                      flush=True)
                self.reply(500, {"error": {"message": "EngineCore encountered an issue.", "code": 500}})
                os._exit(1)
            self.reply(200, {"object": "text_completion", "model": name,
                             "choices": [{"index": 0, "text": "x", "finish_reason": "length"}]})

        def log_message(self, fmt, *args):
            print("(fake) " + fmt % args, flush=True)

    server = ThreadingHTTPServer((host, port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: (print("(fake) SIGTERM, shutting down", flush=True), os._exit(0)))
    print("INFO:     Application startup complete.", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
