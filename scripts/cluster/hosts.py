#!/usr/bin/env python3
"""Prints the [[hosts]] of a cluster.conf, one line per host, for the launch scripts:

    NAME<TAB>ADDRESS<TAB>GPUS<TAB>GPUS_PER_WORKER<TAB>CPU_SLOTS<TAB>KINDS<TAB>WORKERS

GPUS is a comma list, `all` (key absent: every GPU nvidia-smi lists) or `none` (gpus = []);
KINDS a comma list; WORKERS the worker names `acbench worker --host NAME` will use (NAME-0, …),
or `?` when GPUS is `all` (the count is known only on the host). Usage: hosts.py CONFIG [NAME...]
"""
import sys
import tomllib


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path, wanted = sys.argv[1], set(sys.argv[2:])
    try:
        with open(path, "rb") as f:
            conf = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        print(f"hosts.py: cannot read {path}: {e}", file=sys.stderr)
        return 1
    hosts = conf.get("hosts", [])
    if not hosts:
        print(f"hosts.py: {path} has no [[hosts]] table", file=sys.stderr)
        return 1
    unknown = wanted - {h.get("name") for h in hosts}
    if unknown:
        print(f"hosts.py: no [[hosts]] named {', '.join(sorted(unknown))} in {path}", file=sys.stderr)
        return 1
    for h in hosts:
        name = h["name"]
        if wanted and name not in wanted:
            continue
        per = int(h.get("gpus_per_worker", 1))
        slots = int(h.get("cpu_slots", 1))
        kinds = ",".join(h.get("kinds", ["compress", "eval"]))
        if "gpus" not in h:
            gpus, workers = "all", "?"
        elif not h["gpus"]:
            gpus, workers = "none", ",".join(f"{name}-{i}" for i in range(slots))
        else:
            gpus = ",".join(str(g) for g in h["gpus"])
            workers = ",".join(f"{name}-{i}" for i in range(len(h["gpus"]) // per))
        print("\t".join([name, h.get("address", name), gpus, str(per), str(slots), kinds, workers]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
