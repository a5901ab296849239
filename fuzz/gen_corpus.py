#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpus of the ring fuzzers: corpus/split/ and corpus/packed/.

Each seed is a script in ring_fuzz.c's format (byte 0: queue size index and
features; then operations with their arguments) for a normal flow: add,
kick, the device completes, get_buf; with event index, indirect tables,
in-order, a wrap of the ring, a reset, and a hostile write at the end.

  python3 gen_corpus.py DIR      (make -C fuzz corpus)
"""
import os
import sys

# Operation codes: the values ring_fuzz.c's run_op() switches on (op % 16).
ADD, KICK, GET, DISABLE, ENABLE, DELAYED, POLL, IRQ = 0, 3, 4, 6, 7, 8, 9, 10
WRITE, COMPLETE, MISC = 11, 13, 15
EVENT_IDX, INDIRECT, IN_ORDER, STRICT = 0x08, 0x10, 0x20, 0x40


def add(nout, nin, length=8):
    """One buffer: nout device-readable and nin device-writable entries."""
    b = [ADD, nout | nin << 3]
    for i in range(nout + nin):
        b += [i, length]
    return b


def complete(length):
    return [COMPLETE] + list(length.to_bytes(4, "little"))


def roundtrip(nout, nin, used_len):
    return add(nout, nin) + [KICK] + complete(used_len) + [IRQ, GET]


def seeds():
    """(name, config byte, script) of every seed, for both layouts."""
    s = []
    s.append(("one", 3, roundtrip(1, 1, 16)))
    s.append(("event_idx", 3 | EVENT_IDX,
              [ENABLE] + roundtrip(1, 1, 8) + [DELAYED] + roundtrip(0, 1, 9)))
    s.append(("indirect", 3 | INDIRECT,
              add(2, 3) + add(1, 1) + [KICK] + complete(24) + complete(8) +
              [GET, GET]))
    s.append(("in_order", 3 | IN_ORDER,
              add(1, 1) + add(1, 1) + add(1, 2) + [KICK] + complete(0) +
              complete(0) + complete(0) + [GET, GET, GET]))
    wrap = []
    for _ in range(20):		# queue of 4: several wraps
        wrap += roundtrip(1, 1, 4)
    s.append(("wrap", 2 | EVENT_IDX, wrap))
    s.append(("full", 1, add(1, 0) * 3 + [KICK, DISABLE] + complete(0) * 3 +
              [POLL, GET, GET, GET]))
    s.append(("reset", 3, add(1, 1) * 2 + [KICK] + complete(1) + [MISC, 0] +
              roundtrip(1, 1, 2)))
    s.append(("resize", 3, add(1, 1) * 2 + [MISC, 1, 2, 7] +
              roundtrip(1, 1, 2)))
    s.append(("hostile", 3 | STRICT, add(1, 1) * 2 + [KICK] + complete(8) +
              [WRITE, 0, 0, 8] + [0xff] * 8 + [GET, GET] + add(1, 1)))
    s.append(("leftover", 4 | INDIRECT, add(1, 1) * 5 + [KICK]))
    return s


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    for layout in ("split", "packed"):
        d = os.path.join(root, layout)
        os.makedirs(d, exist_ok=True)
        for name, cfg, script in seeds():
            with open(os.path.join(d, name), "wb") as f:
                f.write(bytes([cfg] + script))


if __name__ == "__main__":
    main()
