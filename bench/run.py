#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run the bench matrix and write the tables.

Three parts, every figure of our ring a ratio to the in-tree ring of the
same run:
  callgrind  ping-pong under valgrind --tool=callgrind: driver-side
             instructions per buffer for each API call (deterministic),
             kicks and interrupts per 1000 buffers;
  threads    driver and device pinned to CPU 0 and 1: ns per buffer, the
             median of interleaved repetitions with min and max, kicks and
             interrupts per 1000 buffers (median);
  lockstep   the threads driver with the device stepped in between at a
             fixed, pseudo-randomly varying speed (bench.c): kicks and
             interrupts per 1000 buffers that depend on the rings'
             notification decisions only (deterministic; asserted never
             above the in-tree ring's);
  floor      tools/virtio/ringtest's ring variant, polling, same batch and
             ring size: ns per buffer.
--quick runs a few cells and asserts what must hold (make check).

Writes OUT/results.csv, OUT/results.json and OUT/table.md.
"""
import argparse
import csv
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time

# API call -> (in-tree functions, alt functions); inclusive cost each.
# The callback (and the disable_cb in it) runs inside the interrupt.
CALLS = {
    "add": (["virtqueue_add_sgs"], ["vra_add_sgs"]),
    "kick": (["virtqueue_kick_prepare", "virtqueue_notify"],
             ["vra_kick_prepare", "vra_notify"]),
    "get_buf": (["virtqueue_get_buf"], ["vra_get_buf"]),
    "irq": (["vring_interrupt", "virtqueue_enable_cb"],
            ["vra_interrupt", "vra_enable_cb"]),
}


class Failure(Exception):
    pass


def cell_args(c):
    a = ["--sg", str(c["sg"]), "--batch", str(c["batch"]),
         "--size", str(c["size"])]
    if c["layout"] == "packed":
        a.append("--packed")
    if c["event"] == "idx":
        a.append("--event-idx")
    if c["indirect"]:
        a.append("--indirect")
    return a


def cell_name(c):
    return "%s/%s/%s/b%d/n%d" % (c["layout"], c["event"],
                                 "ind4" if c["indirect"] else "sg%d" % c["sg"],
                                 c["batch"], c["size"])


def run_bench(binary, args, timeout=300):
    p = subprocess.run([binary] + args, capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode:
        raise Failure("bench %s failed: %s" % (" ".join(args),
                                                p.stderr.strip()))
    rows = list(csv.DictReader(["mode,ring,layout,event,in_order,indirect,sg,"
                                "batch,size,bufs,reps,ns_per_buf,ns_min,"
                                "ns_max,kicks_per_1000,irqs_per_1000"] +
                               p.stdout.splitlines()))
    return rows


def callgrind_inclusive(path):
    """Inclusive Ir and calls per function name of a callgrind out file."""
    names, self_ir, call_ir, calls = {}, {}, {}, {}
    fn = cfn = None
    pending_call = None

    def name(v):
        # "(id) name" the first time, "(id)" afterwards
        if v.startswith("("):
            i = v.index(")")
            key = v[:i + 1]
            if v[i + 1:].strip():
                names[key] = v[i + 1:].strip()
            return names.get(key, key)
        return v

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("fn="):
                fn = name(line[3:])
                continue
            if line.startswith("cfn="):
                cfn = name(line[4:])
                continue
            if line.startswith("calls="):
                pending_call = int(line[6:].split()[0])
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                ir = int(parts[1]) if len(parts) > 1 else 0
                if pending_call is not None:
                    call_ir[fn] = call_ir.get(fn, 0) + ir
                    calls[cfn] = calls.get(cfn, 0) + pending_call
                    pending_call = None
                else:
                    self_ir[fn] = self_ir.get(fn, 0) + ir
                continue
            if line.startswith(("cfl=", "cfi=", "cob=")):
                continue
            if "=" in line.split()[0]:
                # fl= fi= fe= ob= and headers: the function stays
                continue
    incl = {f: self_ir.get(f, 0) + call_ir.get(f, 0)
            for f in set(self_ir) | set(call_ir)}
    return incl, calls


def run_callgrind(binary, cell, ring, bufs, out):
    path = os.path.join(out, "cg", "%s.%s.out" % (cell_name(cell).replace("/", "_"), ring))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=no",
                        "--callgrind-out-file=" + path, binary, "--reps", "1",
                        "--bufs", str(bufs), "--rings", ring] +
                       cell_args(cell), capture_output=True, text=True,
                       timeout=600)
    if p.returncode:
        raise Failure("callgrind %s %s failed: %s" % (cell_name(cell), ring,
                                                      p.stderr[-500:]))
    row = list(csv.reader(p.stdout.splitlines()))[-1]
    incl, _ = callgrind_inclusive(path)
    alt = ring != "intree"
    r = {"kicks_per_1000": float(row[14]), "irqs_per_1000": float(row[15])}
    total = 0
    for call, fns in CALLS.items():
        v = sum(incl.get(f, 0) for f in fns[1 if alt else 0])
        if not v:
            raise Failure("callgrind %s %s: no cost for %s" %
                          (cell_name(cell), ring, fns[1 if alt else 0]))
        r["ir_" + call] = v / bufs
        total += v
    r["ir_total"] = total / bufs
    return r


def variants(c):
    """The in-tree ring, ours, ours with VIRTIO_F_IN_ORDER (6.12 has none)."""
    return ["intree", "alt", "alt-inorder"]


def matrix(quick):
    if quick:
        cg = [dict(layout=l, event=e, indirect=i, sg=4 if i else 1, batch=b,
                   size=256)
              for l, e, (i, b) in itertools.product(
                  ["split", "packed"], ["flags", "idx"],
                  [(False, 32), (True, 1)])]
        th = [dict(layout=l, event="idx", indirect=False, sg=1, batch=32,
                   size=256) for l in ["split", "packed"]]
        ls = [dict(layout=l, event="idx", indirect=False, sg=1, batch=1,
                   size=256, pct=80) for l in ["split", "packed"]]
        return cg, th, ls
    cg = [dict(layout=l, event=e, indirect=i, sg=4 if i else 1, batch=b,
               size=n)
          for l, e, i, b, n in itertools.product(
              ["split", "packed"], ["flags", "idx"], [False, True],
              [1, 8, 32, 64], [256, 1024])]
    th = [dict(layout=l, event=e, indirect=False, sg=1, batch=b, size=256)
          for l, e, b in itertools.product(["split", "packed"],
                                            ["flags", "idx"], [1, 32])]
    # Device speed, % of steps using a buffer: 50 never lets the device
    # catch up, 100 makes it catch up at every buffer.
    ls = [dict(layout=l, event=e, indirect=False, sg=1, batch=b, size=256,
               pct=p)
          for l, e, b, p in itertools.product(["split", "packed"],
                                               ["flags", "idx"], [1, 32],
                                               [50, 60, 70, 80, 90, 100])]
    return cg, th, ls


def floor_ns(ringtest, batch, size, cycles, reps):
    ns = []
    for _ in range(reps):
        t0 = time.monotonic_ns()
        p = subprocess.run([ringtest, "--host-affinity", "1",
                            "--guest-affinity", "0", "--batch", str(batch),
                            "--ring-size", str(size), "--run-cycles",
                            str(cycles)], capture_output=True, timeout=300)
        if p.returncode:
            raise Failure("ringtest failed")
        ns.append((time.monotonic_ns() - t0) / cycles)
    return statistics.median(ns), min(ns), max(ns)


def ratio(a, b):
    return a / b if b else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    binary = os.path.join(args.bin, "bench")
    ringtest = os.path.join(args.bin, "ringtest-ring")
    cg_cells, th_cells, ls_cells = matrix(args.quick)
    cg_bufs = 4096 if args.quick else 16384
    th_bufs = 50000 if args.quick else 200000
    reps = 3 if args.quick else 5
    rows, failures = [], []
    t_start = time.time()

    def check(ok, what):
        print("%s %s" % ("ok  " if ok else "FAIL", what))
        if not ok:
            failures.append(what)

    # callgrind, ping-pong
    for c in cg_cells:
        res = {}
        for ring in variants(c):
            try:
                res[ring] = run_callgrind(binary, c, ring, cg_bufs, args.out)
            except Failure as e:
                check(False, str(e))
        if "intree" not in res:
            continue
        for ring, r in res.items():
            rows.append(dict(part="callgrind", cell=cell_name(c), ring=ring,
                             **c, **r,
                             ir_ratio=ratio(r["ir_total"], res["intree"]["ir_total"])))
        exp = 1000.0 / c["batch"]
        check(all(abs(r["kicks_per_1000"] - exp) < 0.01 and
                  abs(r["irqs_per_1000"] - exp) < 0.01 for r in res.values()),
              "%s: ping-pong, every ring kicks and interrupts once a batch"
              % cell_name(c))
    if args.quick:
        # The counts must repeat exactly.
        c = cg_cells[0]
        for ring in ["intree", "alt"]:
            a = run_callgrind(binary, c, ring, cg_bufs, args.out)
            b = run_callgrind(binary, c, ring, cg_bufs, args.out)
            check(a == b, "%s %s: callgrind counts repeat exactly (%.1f Ir/buf)"
                  % (cell_name(c), ring, a["ir_total"]))
    # threads, interleaved repetitions inside one process
    for c in th_cells:
        try:
            out = run_bench(binary, ["--threads", "--reps", str(reps),
                                     "--bufs", str(th_bufs), "--rings",
                                     ",".join(variants(c))] + cell_args(c))
        except (Failure, subprocess.TimeoutExpired) as e:
            check(False, "%s threads: %s" % (cell_name(c), e))
            continue
        base = next(r for r in out if r["ring"] == "intree")
        for r in out:
            rows.append(dict(part="threads", cell=cell_name(c), ring=r["ring"],
                             **c,
                             ns_per_buf=float(r["ns_per_buf"]),
                             ns_min=float(r["ns_min"]),
                             ns_max=float(r["ns_max"]),
                             kicks_per_1000=float(r["kicks_per_1000"]),
                             irqs_per_1000=float(r["irqs_per_1000"]),
                             ns_ratio=ratio(float(r["ns_per_buf"]),
                                            float(base["ns_per_buf"]))))
        check(True, "%s: threads, every buffer back on every ring" % cell_name(c))
    # lockstep: deterministic counts at a fixed device speed
    for c in ls_cells:
        name = "%s/d%d" % (cell_name(c), c["pct"])
        try:
            out = run_bench(binary, ["--lockstep", str(c["pct"]), "--reps",
                                     "1", "--bufs", "50000", "--rings",
                                     ",".join(variants(c))] + cell_args(c))
        except (Failure, subprocess.TimeoutExpired) as e:
            check(False, "%s lockstep: %s" % (name, e))
            continue
        base = next(r for r in out if r["ring"] == "intree")
        for r in out:
            rows.append(dict(part="lockstep", cell=name, ring=r["ring"], **c,
                             kicks_per_1000=float(r["kicks_per_1000"]),
                             irqs_per_1000=float(r["irqs_per_1000"])))
        check(all(float(r["kicks_per_1000"]) <= float(base["kicks_per_1000"])
                  and float(r["irqs_per_1000"]) <= float(base["irqs_per_1000"])
                  for r in out),
              "%s: lockstep, kicks %s and irqs %s per 1000, none above the in-tree ring"
              % (name, "/".join(r["kicks_per_1000"] for r in out),
                 "/".join(r["irqs_per_1000"] for r in out)))
    # floor
    floors = sorted({(c["batch"], c["size"]) for c in th_cells})
    for b, n in floors:
        try:
            med, lo, hi = floor_ns(ringtest, b, n,
                                   200000 if args.quick else 2000000,
                                   1 if args.quick else reps)
        except (Failure, subprocess.TimeoutExpired) as e:
            check(False, "ringtest ring b%d n%d: %s" % (b, n, e))
            continue
        rows.append(dict(part="floor", cell="ringtest-ring/b%d/n%d" % (b, n),
                         ring="ringtest-ring", batch=b, size=n,
                         ns_per_buf=med, ns_min=lo, ns_max=hi))
    write(args.out, rows, time.time() - t_start)
    if failures:
        print("%d failed" % len(failures))
        return 1
    print("all passed; tables in %s" % os.path.join(args.out, "table.md"))
    return 0


def write(out, rows, secs):
    keys = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, keys)
        w.writeheader()
        w.writerows(rows)
    meta = dict(date=time.strftime("%Y-%m-%d %H:%M:%S %z"),
                machine=platform.machine(), cpus=os.cpu_count(),
                cpu=cpu_model(), load=os.getloadavg(), seconds=round(secs),
                kernel_source="linux-source-6.12")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(dict(meta=meta, rows=rows), f, indent=1)
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(table(rows, meta))
    sys.stdout.write(table(rows, meta))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(rows, meta):
    o = ["Run %s, %s CPUs (%s), load average %.1f at the end, %d s.\n" %
         (meta["date"], meta["cpus"], meta["cpu"], meta["load"][0],
          meta["seconds"])]
    o.append("\nDriver-side instructions per buffer (callgrind, ping-pong; "
             "ratio = total / in-tree total):\n\n")
    o.append("| cell | ring | add | kick | get_buf | irq | total | ratio | "
             "kicks/1000 | irqs/1000 |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
    for r in rows:
        if r["part"] == "callgrind":
            o.append("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f |\n"
                     % (r["cell"], r["ring"], r["ir_add"], r["ir_kick"],
                        r["ir_get_buf"], r["ir_irq"], r["ir_total"],
                        r["ir_ratio"], r["kicks_per_1000"],
                        r["irqs_per_1000"]))
    o.append("\nTwo threads pinned (driver CPU 0, device CPU 1), ns per buffer, "
             "median of interleaved repetitions (min-max); noisy, see README:\n\n")
    o.append("| cell | ring | ns/buf | min-max | ratio | kicks/1000 | irqs/1000 |\n"
             "|---|---|--:|--:|--:|--:|--:|\n")
    for r in rows:
        if r["part"] == "threads":
            o.append("| %s | %s | %.0f | %.0f-%.0f | %.2f | %.1f | %.2f |\n"
                     % (r["cell"], r["ring"], r["ns_per_buf"], r["ns_min"],
                        r["ns_max"], r["ns_ratio"], r["kicks_per_1000"],
                        r["irqs_per_1000"]))
        elif r["part"] == "floor":
            o.append("| %s | floor | %.1f | %.1f-%.1f | | | |\n"
                     % (r["cell"], r["ns_per_buf"], r["ns_min"], r["ns_max"]))
    o.append("\nLockstep (one thread; the device, stepped between the driver's "
             "operations, uses a buffer at d% of its steps, the same "
             "pseudo-random steps for every ring): kicks / irqs per 1000 "
             "buffers, deterministic:\n\n")
    o.append("| cell | in-tree | alt | alt-inorder |\n|---|--:|--:|--:|\n")
    ls = {}
    for r in rows:
        if r["part"] == "lockstep":
            ls.setdefault(r["cell"], {})[r["ring"]] = r
    for cell, rr in ls.items():
        o.append("| %s | %s |\n" % (cell, " | ".join(
            "%.1f / %.1f" % (rr[k]["kicks_per_1000"], rr[k]["irqs_per_1000"])
            if k in rr else "" for k in ["intree", "alt", "alt-inorder"])))
    return "".join(o)


if __name__ == "__main__":
    sys.exit(main())
