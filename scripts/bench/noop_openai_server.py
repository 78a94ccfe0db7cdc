#!/usr/bin/env python3
"""A no-op OpenAI-compatible server for tests and client benchmarks (stdlib only).

Answers GET /health, GET /v1/models, POST /v1/completions, POST /v1/chat/completions,
POST /tokenize and POST /detokenize with fixed, well-formed bodies in vLLM's shapes
(specs/serving.md section 11). It binds 127.0.0.1 on --port (0 = ephemeral), prints the port on
stdout (and writes it to --port-file), and exits when its parent process goes away.

Switches for tests:
  --fail-first N   answer 500 (vLLM's engine-error body) to the first N requests (all routes but /health)
  --bad-request    answer 400 with an OpenAI error body to every generation request
  --sleep S        wait S seconds before answering generation requests
  --echo           the generated text is the JSON {"path","body","authorization"} of the request
  GET /noop/stats  {"requests": N, "connections": M}: requests (but /health and this one) and
                   TCP connections accepted so far
  --mode asyncio   a single-threaded asyncio server (fast, for benchmarks); default: threading
  --reuse-port     (asyncio) share --port with other processes started the same way
"""
import argparse, asyncio, json, os, sys, threading, time

MODEL = "noop"
FAIL_BODY = {"error": {"message": "EngineCore encountered an issue. See stack trace (above) for the root cause.",
                       "type": "InternalServerError", "param": None, "code": 500}}
BAD_BODY = {"error": {"message": "Requested sample logprobs of 21, which is greater than max allowed: 20 (parameter=logprobs, value=21)",
                      "type": "BadRequestError", "param": "logprobs", "code": 400}}


class Behaviour:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.connections = 0
        self.lock = threading.Lock()

    def connected(self):
        with self.lock:
            self.connections += 1

    def handle(self, method, path, headers, body):
        """Returns (status, json-able body or None for empty, delay in seconds)."""
        path = path.split("?", 1)[0]
        n = self.count
        if path not in ("/health", "/noop/stats"):
            with self.lock:
                self.count += 1
                n = self.count
            if n <= self.args.fail_first:
                return 500, FAIL_BODY, 0
        try:
            req = json.loads(body) if body else {}
        except ValueError as e:
            return 400, {"error": {"message": f"invalid JSON: {e}", "type": "Bad Request", "param": None, "code": 400}}, 0
        route = (method, path)
        if route == ("GET", "/noop/stats"):
            return 200, {"requests": n, "connections": self.connections}, 0
        if route == ("GET", "/health"):
            return 200, None, 0
        if route == ("GET", "/v1/models"):
            return 200, {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 1795923888,
                         "owned_by": "vllm", "root": "/models/noop", "parent": None, "max_model_len": 2048,
                         "permission": []}]}, 0
        if route in (("POST", "/v1/completions"), ("POST", "/v1/chat/completions")):
            return self.generate(path, headers, req)
        if route == ("POST", "/tokenize"):
            prompt = req.get("prompt", "")
            tokens = ([1] if req.get("add_special_tokens", True) else []) + [ord(c) for c in prompt]
            return 200, {"count": len(tokens), "max_model_len": 2048, "tokens": tokens, "token_strs": None}, 0
        if route == ("POST", "/detokenize"):
            return 200, {"prompt": "".join(chr(t) for t in req.get("tokens", []) if t > 1)}, 0
        if path in ("/v1/completions", "/v1/chat/completions", "/tokenize", "/detokenize", "/v1/models", "/health"):
            return 405, {"detail": "Method Not Allowed"}, 0
        return 404, {"detail": "Not Found"}, 0

    def generate(self, path, headers, req):
        a = self.args
        if a.bad_request:
            return 400, BAD_BODY, a.sleep
        if req.get("model", MODEL) != MODEL:
            return 404, {"error": {"message": f"The model `{req.get('model')}` does not exist. Valid aliases: {MODEL}.",
                                   "type": "NotFoundError", "param": "model", "code": 404}}, a.sleep
        text = " noop"
        if a.echo:
            text = json.dumps({"path": path, "body": req, "authorization": headers.get("authorization")})
        usage = {"prompt_tokens": 10, "total_tokens": 12, "completion_tokens": 2}
        common = {"created": 1795923888, "model": MODEL, "system_fingerprint": "vllm-0.32.0-noop", "usage": usage}
        if path == "/v1/completions":
            lp = None
            if req.get("logprobs") is not None:
                lp = {"tokens": [" no", "op"], "token_logprobs": [-0.25, -0.5], "text_offset": [0, 3],
                      "top_logprobs": [{" no": -0.25, " yes": -1.5}, {"op": -0.5, "pe": -2.0}]}
            choice = {"index": 0, "text": text, "logprobs": lp, "finish_reason": "length", "stop_reason": None,
                      "token_ids": None, "prompt_logprobs": None, "prompt_token_ids": None}
            return 200, {"id": "cmpl-noop", "object": "text_completion", "choices": [choice], **common}, a.sleep
        lp = None
        if req.get("logprobs"):
            lp = {"content": [{"token": " no", "logprob": -0.25, "bytes": [32, 110, 111],
                               "top_logprobs": [{"token": " no", "logprob": -0.25, "bytes": [32, 110, 111]},
                                                {"token": " yes", "logprob": -1.5, "bytes": [32, 121, 101, 115]}]}]}
        choice = {"index": 0, "message": {"role": "assistant", "content": text, "reasoning": None, "tool_calls": []},
                  "logprobs": lp, "finish_reason": "stop", "stop_reason": "\n"}
        return 200, {"id": "chatcmpl-noop", "object": "chat.completion", "choices": [choice], **common}, a.sleep


def encode(status, payload):
    body = b"" if payload is None else json.dumps(payload).encode()
    return status, body


REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}


def serve_threading(behaviour, host, port, ready):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True   # headers and body go out in separate writes

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            behaviour.connected()

        def respond(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload, delay = behaviour.handle(method, self.path, headers, body)
            if delay:
                time.sleep(delay)
            status, data = encode(status, payload)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.respond("GET")

        def do_POST(self):
            self.respond("POST")

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer((host, port), Handler)
    ready(server.server_address[1])
    server.serve_forever()


class FastProtocol(asyncio.Protocol):
    """Minimal HTTP/1.1 keep-alive server: Content-Length bodies, one request at a time per connection."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.buf = b""
        self.busy = False

    def connection_made(self, transport):
        self.transport = transport
        self.behaviour.connected()

    def data_received(self, data):
        self.buf += data
        self.process()

    def process(self):
        while not self.busy:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            length = int(headers.get("content-length", 0))
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4:end + 4 + length]
            self.buf = self.buf[end + 4 + length:]
            method, path = head[0].split(" ")[:2]
            status, payload, delay = self.behaviour.handle(method, path, headers, body)
            status, data = encode(status, payload)
            out = (f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(data)}\r\n\r\n").encode() + data
            if delay:
                self.busy = True
                asyncio.get_running_loop().call_later(delay, self.finish_delayed, out)
            else:
                self.transport.write(out)

    def finish_delayed(self, out):
        if not self.transport.is_closing():
            self.transport.write(out)
        self.busy = False
        self.process()


def serve_asyncio(behaviour, host, port, ready):
    async def main():
        server = await asyncio.get_running_loop().create_server(
            lambda: FastProtocol(behaviour), host, port, backlog=1024, reuse_port=behaviour.args.reuse_port)
        ready(server.sockets[0].getsockname()[1])
        await server.serve_forever()
    asyncio.run(main())


def watch_parent():
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--mode", choices=["threading", "asyncio"], default="threading")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--bad-request", action="store_true")
    p.add_argument("--sleep", type=float, default=0.0)
    p.add_argument("--echo", action="store_true")
    p.add_argument("--reuse-port", action="store_true",
                   help="asyncio mode: SO_REUSEPORT, so several processes can share one --port (the kernel spreads connections)")
    args = p.parse_args()

    def ready(port):
        print(port, flush=True)
        if args.port_file:
            tmp = args.port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(f"{port}\n")
            os.replace(tmp, args.port_file)

    threading.Thread(target=watch_parent, daemon=True).start()
    behaviour = Behaviour(args)
    try:
        (serve_asyncio if args.mode == "asyncio" else serve_threading)(behaviour, args.host, args.port, ready)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
