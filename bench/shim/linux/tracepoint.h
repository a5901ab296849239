/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints compile to nothing here: in the kernel a disabled one costs
 * a static branch, and the in-tree ring it is compared with has none.
 */
#ifndef _BENCH_LINUX_TRACEPOINT_H
#define _BENCH_LINUX_TRACEPOINT_H

#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args
#define TRACE_EVENT(name, proto, args, struct, assign, print)	\
	static inline void trace_##name(proto) { }

#endif
