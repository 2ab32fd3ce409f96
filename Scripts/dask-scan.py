#!/usr/bin/env python3
"""Runs one `agenttrail scan` as N shards on a Dask cluster and merges the partial results in a tree.

Dask schedules; AgentTrail computes and merges. Each task runs the `agenttrail` binary on one shard
(`scan PATH... --shard K/N --partial-out FILE`) and returns the partial's bytes; the partials are merged in a tree
(`merge --partial-out`, FAN_IN at a time, also as Dask tasks), and the last partial is rendered by
`agenttrail merge --format FORMAT` on this machine. The report equals one `scan` over all the files (except its
`performance` block): see Docs/Scale.md.

    python3 Scripts/dask-scan.py --shards 8 --local 2 SampleLogs -- --config SampleLogs/agenttrail.yml
    python3 Scripts/dask-scan.py --shards 100 --scheduler tcp://scheduler:8786 --agenttrail /opt/agenttrail/agenttrail \\
        /mnt/archive/AWSLogs --format json --output report.json -- --policies /mnt/policies

Every worker must be able to run the binary and read the PATHs (a shared mount, or the same sync on each node).
Arguments after `--` go to every scan and merge (config, policies, rules); `--scan-arg` adds one argument to the scans
only (input filters: `--scan-arg=--since --scan-arg=2025-06-01`). Needs `pip install "dask[distributed]"`.
Exit status: the final merge's (0, 2 with --fail-on findings, 3 damaged inputs), 1 when a task fails.
"""

import argparse
import os
import subprocess
import sys
import tempfile


def run_shard(binary, paths, common, scan_args, shard, shards):
    """One shard: scan it into a partial and return the partial's bytes (raises with stderr on failure)."""
    with tempfile.TemporaryDirectory(prefix="agenttrail-shard-") as tmp:
        out = os.path.join(tmp, f"shard-{shard}.part")
        cmd = [binary, "scan", *paths, *common, *scan_args, "--shard", f"{shard}/{shards}", "--partial-out", out]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode not in (0, 3):  # (3: some input damaged; it is listed in the report)
            raise RuntimeError(f"shard {shard}: {' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
        with open(out, "rb") as f:
            return f.read()


def merge_parts(binary, common, parts, label):
    """Merges partials (bytes) into one partial (bytes)."""
    with tempfile.TemporaryDirectory(prefix="agenttrail-merge-") as tmp:
        names = []
        for i, data in enumerate(parts):
            name = os.path.join(tmp, f"in-{i}.part")
            with open(name, "wb") as f:
                f.write(data)
            names.append(name)
        out = os.path.join(tmp, "merged.part")
        cmd = [binary, "merge", *names, *common, "--partial-out", out]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"merge {label}: exited {done.returncode}: {done.stderr.strip()}")
        with open(out, "rb") as f:
            return f.read()


def tree_merge(client, binary, common, futures, fan_in):
    """Merges futures of partials FAN_IN at a time until one is left (a future)."""
    level = 0
    while len(futures) > 1:
        groups = [futures[i:i + fan_in] for i in range(0, len(futures), fan_in)]
        futures = [g[0] if len(g) == 1 else
                   client.submit(merge_parts, binary, common, g, f"level {level} group {i}", pure=False)
                   for i, g in enumerate(groups)]
        level += 1
    return futures[0]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    common = []
    if "--" in argv:
        i = argv.index("--")
        argv, common = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+", help="log files or folders, as every worker sees them")
    p.add_argument("--shards", type=int, required=True, help="number of shards (one Dask task each)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    where.add_argument("--local", type=int, default=2, help="workers of a local cluster (distributed.LocalCluster); default 2")
    p.add_argument("--agenttrail", default=".build/debug/agenttrail", help="the binary, as every worker sees it")
    p.add_argument("--fan-in", type=int, default=4, help="partials per merge task (default 4)")
    p.add_argument("--format", default="text", help="report format of the final merge (text, json, jsonl, ocsf)")
    p.add_argument("--output", help="write the report to this file (default: standard output)")
    p.add_argument("--partial-out", help="also keep the final merged partial in this file")
    p.add_argument("--scan-arg", action="append", default=[], help="one argument for the scans only (repeatable)")
    args = p.parse_args(argv)
    if args.shards < 1 or args.fan_in < 2:
        p.error("--shards must be at least 1 and --fan-in at least 2")
    binary = os.path.abspath(args.agenttrail) if os.path.exists(args.agenttrail) else args.agenttrail

    from distributed import Client, LocalCluster  # (imported here: --help works without Dask)

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        shards = [client.submit(run_shard, binary, args.paths, common, args.scan_arg, k, args.shards, pure=False)
                  for k in range(args.shards)]
        final = tree_merge(client, binary, common, shards, args.fan_in).result()
    except Exception as e:  # a task failed: its message names the shard or merge
        print(f"dask-scan: {e}", file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    with tempfile.TemporaryDirectory(prefix="agenttrail-final-") as tmp:
        part = args.partial_out or os.path.join(tmp, "final.part")
        with open(part, "wb") as f:
            f.write(final)
        cmd = [binary, "merge", part, *common, "--format", args.format]
        with open(args.output, "w") if args.output else open(os.dup(1), "w") as out:
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(done.stderr)
        return done.returncode


if __name__ == "__main__":
    sys.exit(main())
