#!/usr/bin/env python3
"""Plays a worker that dies: spawns a command in its own session (as ServerManager does), prints the
child's pid, then sleeps until the test SIGKILLs it. The command is ServerManager's real guard
invocation, read as JSON {"argv": [...], "env": {...}} from the file named by argv[1]; the guard is
told this driver's pid as the worker pid through the "{worker_pid}" placeholder.
"""
import json
import os
import subprocess
import sys
import time

spec = json.load(open(sys.argv[1]))
argv = [a.replace("{worker_pid}", str(os.getpid())) for a in spec["argv"]]
env = dict(os.environ, **spec["env"])
log = open(spec["log"], "a")
child = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
print(child.pid, flush=True)
time.sleep(3600)
