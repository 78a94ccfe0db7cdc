"""The JSON-lines loop every AgentBoard sidecar runs (protocol: docs/AGENTBOARD.md).

One request per line on stdin, one reply per line on stdout; anything else the environment
prints goes to stderr, so stdout carries only replies. The process exits on `close`, on EOF
(the worker closed the pipe or died) and when its parent changes (the worker died while an
environment call was running).
"""
import json
import os
import signal
import sys
import threading
import time
import traceback


class Unavailable(Exception):
    """A request this sidecar cannot serve on this machine (a service without its credential,
    a toolkit acbench does not implement). Replied with `"failure": "data_missing"`, so the
    worker fails the unit as `data_missing` (no retries) instead of `scorer_error`."""


def _watch_parent(parent):
    while True:
        if os.getppid() != parent:
            os.killpg(0, signal.SIGKILL)  # the worker is gone: end this group (a JVM included)
            os._exit(3)
        time.sleep(1)


def serve(name, make_env):
    """Reads requests and answers them with the env returned by `make_env()`.

    The env has `reset(params) -> dict` and `step(action) -> dict`; the dicts are merged into
    the reply (`observation`, `goal`, `reward`, `done`, `valid`, `match_text`, ...). Raising
    `Unavailable` answers `ok: false` with `failure: data_missing`; any other exception `ok: false`.
    """
    replies = sys.stdout
    sys.stdout = sys.stderr  # library chatter must not corrupt the reply stream
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()

    def send(obj):
        replies.write(json.dumps(obj) + "\n")
        replies.flush()

    try:
        env = make_env()
    except Exception as e:  # the environment's packages are missing or broken
        send({"ok": False, "error": f"{name}: cannot start the environment: {e!r}"})
        return 2
    send({"ok": True, "ready": name})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            op = req.get("op")
            if op == "reset":
                reply = env.reset(req.get("episode") or {})
            elif op == "step":
                reply = env.step(str(req.get("action", "")))
            elif op == "close":
                send({"ok": True})
                return 0
            else:
                raise ValueError(f"unknown op {op!r}")
            send({"ok": True, **reply})
        except Unavailable as e:
            send({"ok": False, "error": f"{name}: {e}", "failure": "data_missing"})
        except Exception as e:
            traceback.print_exc(file=sys.stderr)
            send({"ok": False, "error": f"{name}: {type(e).__name__}: {e}"})
    return 0
