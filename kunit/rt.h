/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rt: the driver side of the KUnit round trips. It adds buffers of
 * rotating shapes to an alt queue, kicks, lets a device step, harvests, and
 * checks every buffer back once with its token and the length the device
 * reported, then the ring's counters against the device's.
 */
#ifndef _VIRTIO_ALT_RT_H
#define _VIRTIO_ALT_RT_H

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/types.h>

#include "vdm.h"

/* One combination of the matrix. */
struct rt_param {
	bool packed;
	bool indirect;
	bool evidx;
	bool in_order;
	unsigned int num;
	enum vdm_order order;
	unsigned int slots;	/* buffers the harness has, if more than num */
};

#define RT_SPLIT_SIZES	4
#define RT_PACKED_SIZES	5
#define RT_FEATURE_SETS	8	/* indirect x evidx x in-order */
#define RT_SPLIT_NR	(RT_FEATURE_SETS * RT_SPLIT_SIZES * VDM_ORDER_NR)
#define RT_PACKED_NR	(RT_FEATURE_SETS * RT_PACKED_SIZES * VDM_ORDER_NR)
#define RT_MATRIX_NR	(RT_SPLIT_NR + RT_PACKED_NR)

/* The matrix, split part first; filled by rt_matrix_fill(). */
extern struct rt_param rt_matrix[RT_MATRIX_NR];
extern struct rt_param rt_split_matrix[RT_SPLIT_NR];

void rt_matrix_fill(void);
void rt_param_desc(struct rt_param *p, char *desc);
u64 rt_features(const struct rt_param *p);

/* One buffer of the driver: a tag header and up to three writable parts. */
struct rt_slot {
	u8 *mem;
	u32 tag;
	u8 n_out;
	u8 n_in;
	u32 in_len[3];
	bool busy;
};

struct rt {
	struct kunit *test;
	struct vdm *m;
	struct virtqueue *vq;
	struct rt_slot *slots;
	unsigned int nslots;
	unsigned int *free;
	unsigned int nfree;
	unsigned int max_segs;
	unsigned int shape;
	struct rnd_state rnd;
	bool napi;		/* harvest with callbacks off, then re-enable */
	gfp_t gfp;		/* what rt_add() passes to vra_add_sgs() */

	/* What the driver did, to compare with the ring's counters. */
	u64 added;
	u64 harvested;
	u64 kick_calls;
	u64 enospc;
	u64 callbacks;
	u64 cb_disables;
	u64 cb_enables;
	u64 recycled;
	unsigned int errors;

	/* One step of the device; vdm_run() unless another engine. */
	void (*run)(struct rt *rt);
	void *dev;
};

struct rt *rt_create(struct kunit *test, const struct rt_param *p,
		     const struct vdm_script *s, u64 extra_features);
void rt_script(const struct rt_param *p, struct vdm_script *s);
int rt_add(struct rt *rt, int shape);
void rt_harvest(struct rt *rt);
void rt_got(struct rt *rt, void *token, unsigned int len);
void rt_reclaim(struct rt *rt, void *token);
void rt_recycle(struct virtqueue *vq, void *token);
unsigned int rt_in_flight(const struct rt *rt);
unsigned int rt_busy_slots(const struct rt *rt);
void rt_add_kick(struct rt *rt, unsigned int n);
bool rt_round_trip(struct rt *rt, u64 total);
bool rt_drain(struct rt *rt);
void rt_expect_counters(struct rt *rt);
u64 rt_total(const struct rt_param *p);

#endif /* _VIRTIO_ALT_RT_H */
