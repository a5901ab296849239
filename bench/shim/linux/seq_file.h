/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of seq_file the ring's dump (vra_dump_ring()) prints with: a
 * buffer and its fill, output cut at the end of the buffer. The benchmark
 * never dumps; this only lets the ring build as it is.
 */
#ifndef _BENCH_LINUX_SEQ_FILE_H
#define _BENCH_LINUX_SEQ_FILE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
};

static inline void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;
	int len;

	if (m->count >= m->size)
		return;
	va_start(args, fmt);
	len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
	va_end(args);
	m->count = len < 0 ? m->size : m->count + len;
	if (m->count > m->size)
		m->count = m->size;
}

static inline void seq_puts(struct seq_file *m, const char *str)
{
	seq_printf(m, "%s", str);
}

static inline void seq_putc(struct seq_file *m, char c)
{
	seq_printf(m, "%c", c);
}

#endif
