/* SPDX-License-Identifier: GPL-2.0-only */
/* tools/virtio's compiler.h, plus what 6.12's virtio_ring.c and ours use. */
#ifndef _BENCH_LINUX_COMPILER_H
#define _BENCH_LINUX_COMPILER_H

#include_next <linux/compiler.h>

/*
 * tools/virtio's WRITE_ONCE() stores through typeof(val): WRITE_ONCE(flags16,
 * 0) or WRITE_ONCE(a_bool, true) writes an int, four bytes, over whatever
 * follows. Store through the type of the destination, as the kernel does.
 */
#undef WRITE_ONCE
#define WRITE_ONCE(var, val) \
	(*((volatile typeof(var) *)(&(var))) = (val))

/* No KCSAN in userspace: a racy read is a plain read. */
#ifndef data_race
#define data_race(expr)		(expr)
#endif
/* The kernel's, from compiler_attributes.h: the ring keeps slow paths out of line. */
#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
/* For struct_size() of tools/include/linux/overflow.h. */
#ifndef __must_be_array
#define __must_be_array(a)	0
#endif

#endif
