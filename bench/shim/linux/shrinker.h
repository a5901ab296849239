/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What compat.h needs of the shrinker API (6.7 and later, as the bench
 * Makefile says with VA_HAVE_SHRINKER_ALLOC); the ring never shrinks
 * anything, so the functions are declared only.
 */
#ifndef _BENCH_LINUX_SHRINKER_H
#define _BENCH_LINUX_SHRINKER_H

struct shrink_control;

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s,
				      struct shrink_control *sc);
	void *private_data;
};

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...);
void shrinker_register(struct shrinker *s);
void shrinker_free(struct shrinker *s);

#endif
