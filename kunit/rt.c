// SPDX-License-Identifier: GPL-2.0-only
/*
 * rt: driver side of the KUnit round trips and the feature matrix. See rt.h.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/minmax.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

#include "rt.h"

#define RT_SLOT_SIZE	256
#define RT_SLOT_IN	64	/* offset of the first writable part */
#define RT_CHUNK	64	/* slots per allocation */
#define RT_MAX_ERRORS	5

struct rt_param rt_matrix[RT_MATRIX_NR];
struct rt_param rt_split_matrix[RT_SPLIT_NR];

static const unsigned int rt_split_sizes[RT_SPLIT_SIZES] = {
	1, 2, 256, 1024
};

static const unsigned int rt_packed_sizes[RT_PACKED_SIZES] = {
	1, 3, 255, 256, 32768
};

static struct rt_param *rt_fill(struct rt_param *p, bool packed,
				const unsigned int *sizes, unsigned int nsizes)
{
	unsigned int f, n, o;

	for (f = 0; f < RT_FEATURE_SETS; f++)
		for (n = 0; n < nsizes; n++)
			for (o = 0; o < VDM_ORDER_NR; o++, p++) {
				p->packed = packed;
				p->indirect = f & 4;
				p->evidx = f & 2;
				p->in_order = f & 1;
				p->num = sizes[n];
				p->order = o;
			}
	return p;
}

/* Called from suite_init, before the parameters are generated. */
void rt_matrix_fill(void)
{
	rt_fill(rt_fill(rt_matrix, false, rt_split_sizes, RT_SPLIT_SIZES),
		true, rt_packed_sizes, RT_PACKED_SIZES);
	memcpy(rt_split_matrix, rt_matrix, sizeof(rt_split_matrix));
}

/* Not const: KUNIT_ARRAY_PARAM passes the matrix's own element type. */
void rt_param_desc(struct rt_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s%s%s n=%u %s",
		 p->packed ? "packed" : "split",
		 p->indirect ? " indirect" : "", p->evidx ? " evidx" : "",
		 p->in_order ? " inorder" : "", p->num,
		 vdm_order_names[p->order]);
}

u64 rt_features(const struct rt_param *p)
{
	return (p->packed ? BIT_ULL(VIRTIO_F_RING_PACKED) : 0) |
	       (p->indirect ? BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) : 0) |
	       (p->evidx ? BIT_ULL(VIRTIO_RING_F_EVENT_IDX) : 0) |
	       (p->in_order ? BIT_ULL(VIRTIO_F_IN_ORDER) : 0);
}

/* The device's script of the matrix: honour suppression, batches of 8. */
void rt_script(const struct rt_param *p, struct vdm_script *s)
{
	memset(s, 0, sizeof(*s));
	s->order = p->order;
	s->seed = p->num * 131 + p->order * 17 + rt_features(p);
	/* Larger batches on the largest rings: fewer interrupts to emulate. */
	s->batch = p->num > 1024 ? 64 : 8;
	s->honour_suppression = true;
	s->in_order_batch = true;
	s->len = VDM_LEN_VARY;
}

/*
 * Buffers per round trip: a few ring-fulls, at least 64. The largest ring
 * (32768) wraps once in device order and does 4096 buffers in the others:
 * the orders meet the wrap on the smaller rings, and TCG with KASAN is slow.
 */
u64 rt_total(const struct rt_param *p)
{
	if (p->num <= 1024)
		return max(3 * p->num, 64U);
	/* Past one wrap in the device's own order; the others stay short. */
	if (p->order == VDM_ORDER_IN)
		return p->num + 256;
	return 4096;
}

/* A wrong buffer: fail the test, saying so for the first few. */
static __printf(2, 3)
void rt_fail(struct rt *rt, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (rt->errors++ >= RT_MAX_ERRORS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	KUNIT_FAIL(rt->test, "%pV", &vaf);
	va_end(args);
}

static void rt_callback(struct vdm *m)
{
	struct rt *rt = m->priv;

	rt->callbacks++;
	if (!rt->napi) {
		rt_harvest(rt);
		return;
	}
	/* As a NAPI driver: no interrupts while harvesting, then re-arm. */
	do {
		vra_disable_cb(rt->vq);
		rt->cb_disables++;
		rt_harvest(rt);
		rt->cb_enables++;
	} while (!vra_enable_cb(rt->vq));
}

static void rt_vdm_run(struct rt *rt)
{
	vdm_run(rt->m);
}

struct rt *rt_create(struct kunit *test, const struct rt_param *p,
		     const struct vdm_script *s, u64 extra_features)
{
	struct rt *rt = kunit_kzalloc(test, sizeof(*rt), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, rt);
	rt->test = test;
	rt->nslots = max(p->num, p->slots) + 1;
	rt->m = vdm_create(test, p->num, rt_features(p) | extra_features, s,
			   rt->nslots);
	rt->m->priv = rt;
	rt->m->callback = rt_callback;
	rt->vq = rt->m->vq;
	rt->run = rt_vdm_run;
	rt->napi = true;
	rt->gfp = GFP_KERNEL;
	/*
	 * No chain longer than the queue, in indirect tables too (2.7.5.3.1,
	 * 2.8.18): with indirect descriptors a buffer takes one descriptor of
	 * the ring, still at most the queue size in its table.
	 */
	rt->max_segs = min(p->num, 4U);
	prandom_seed_state(&rt->rnd, s->seed ^ 0x5eed);

	rt->slots = kunit_kcalloc(test, rt->nslots, sizeof(*rt->slots),
				  GFP_KERNEL);
	rt->free = kunit_kcalloc(test, rt->nslots, sizeof(*rt->free),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rt->slots);
	KUNIT_ASSERT_NOT_NULL(test, rt->free);
	for (i = 0; i < rt->nslots; i += RT_CHUNK) {
		unsigned int j, n = min(RT_CHUNK, rt->nslots - i);
		u8 *mem = kunit_kzalloc(test, n * RT_SLOT_SIZE, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, mem);
		for (j = 0; j < n; j++) {
			rt->slots[i + j].mem = mem + j * RT_SLOT_SIZE;
			rt->slots[i + j].tag = i + j;
		}
	}
	/* Lowest slot on top of the stack. */
	for (i = 0; i < rt->nslots; i++)
		rt->free[i] = rt->nslots - 1 - i;
	rt->nfree = rt->nslots;
	return rt;
}

/* Shapes: readable tag header or not, then 0 to 3 writable parts. */
static const struct {
	u8 out;
	u8 in;
} rt_shapes[] = {
	{ 1, 1 }, { 1, 0 }, { 0, 1 }, { 1, 2 }, { 1, 3 }, { 0, 2 },
};

/**
 * rt_add() - add one buffer, not kicking
 * @rt: the harness
 * @shape: index in rt_shapes[], or -1 for the next that fits the queue
 *
 * Return: as vra_add_sgs().
 */
int rt_add(struct rt *rt, int shape)
{
	struct scatterlist out_sg, in_sg[3], *sgs[2];
	struct rt_slot *slot;
	unsigned int i, nsg = 0;
	u64 tag;
	int err;

	KUNIT_ASSERT_GT(rt->test, rt->nfree, 0);
	if (shape < 0) {
		do {
			shape = rt->shape++ % ARRAY_SIZE(rt_shapes);
		} while (rt_shapes[shape].out + rt_shapes[shape].in >
			 rt->max_segs);
	}
	slot = &rt->slots[rt->free[rt->nfree - 1]];
	memset(slot->mem, 0, RT_SLOT_SIZE);
	slot->n_out = rt_shapes[shape].out;
	slot->n_in = rt_shapes[shape].in;
	/* The tag leads the first part, readable or not (see vdm.h). */
	tag = slot->tag;
	memcpy(slot->n_out ? slot->mem : slot->mem + RT_SLOT_IN, &tag,
	       sizeof(tag));
	if (slot->n_out) {
		sg_init_one(&out_sg, slot->mem, sizeof(u64));
		sgs[nsg++] = &out_sg;
	}
	if (slot->n_in) {
		sg_init_table(in_sg, slot->n_in);
		for (i = 0; i < slot->n_in; i++) {
			slot->in_len[i] = 8 + (slot->tag * 13 + i * 7 +
					       (u32)rt->added) % 57;
			sg_set_buf(&in_sg[i], slot->mem + RT_SLOT_IN * (i + 1),
				   slot->in_len[i]);
		}
		sgs[nsg++] = in_sg;
	}
	rt->m->tag_len[slot->tag] = VDM_NOT_USED;
	err = vra_add_sgs(rt->vq, sgs, slot->n_out, !!slot->n_in, slot,
			  rt->gfp);
	if (err) {
		if (err == -ENOSPC)
			rt->enospc++;
		return err;
	}
	rt->nfree--;
	slot->busy = true;
	rt->added++;
	return 0;
}

static struct rt_slot *rt_slot_of(struct rt *rt, void *token)
{
	struct rt_slot *slot = token;

	if (slot < rt->slots || slot >= rt->slots + rt->nslots) {
		rt_fail(rt, "token %p is not one of ours", token);
		return NULL;
	}
	if (!slot->busy) {
		rt_fail(rt, "buffer %u returned twice", slot->tag);
		return NULL;
	}
	return slot;
}

static void rt_free_slot(struct rt *rt, struct rt_slot *slot)
{
	slot->busy = false;
	rt->m->tag_len[slot->tag] = VDM_NOT_USED;
	rt->free[rt->nfree++] = slot->tag;
}

/* One used buffer: the device used it, with this length and these bytes. */
void rt_got(struct rt *rt, void *token, unsigned int len)
{
	struct rt_slot *slot = rt_slot_of(rt, token);
	unsigned int i, off = 0;
	u32 want;

	if (!slot)
		return;
	want = rt->m->tag_len[slot->tag];
	if (want == VDM_NOT_USED)
		rt_fail(rt, "buffer %u returned, the device did not use it",
			slot->tag);
	else if (len != want)
		rt_fail(rt, "buffer %u: len %u, the device said %u", slot->tag,
			len, want);
	for (i = 0; i < slot->n_in && off < len && len == want; i++) {
		const u8 *p = slot->mem + RT_SLOT_IN * (i + 1), *bad;
		unsigned int n = min(slot->in_len[i], len - off);

		bad = memchr_inv(p, vdm_pattern(slot->tag), n);
		if (bad) {
			rt_fail(rt, "buffer %u byte %u: %#x, want %#x", slot->tag,
				off + (unsigned int)(bad - p), *bad,
				vdm_pattern(slot->tag));
			break;
		}
		off += n;
	}
	rt_free_slot(rt, slot);
	rt->harvested++;
}

void rt_harvest(struct rt *rt)
{
	unsigned int len;
	void *token;

	while ((token = vra_get_buf(rt->vq, &len)))
		rt_got(rt, token, len);
}

/* A buffer given back unused (reset, detach): once, and only ours. */
void rt_reclaim(struct rt *rt, void *token)
{
	struct rt_slot *slot = rt_slot_of(rt, token);

	if (!slot)
		return;
	rt_free_slot(rt, slot);
	rt->recycled++;
}

void rt_recycle(struct virtqueue *vq, void *token)
{
	struct vdm *m = vq->priv;

	rt_reclaim(m->priv, token);
}

unsigned int rt_in_flight(const struct rt *rt)
{
	return rt->added - rt->harvested - rt->recycled;
}

unsigned int rt_busy_slots(const struct rt *rt)
{
	unsigned int i, n = 0;

	for (i = 0; i < rt->nslots; i++)
		n += rt->slots[i].busy;
	return n;
}

/* Add @n buffers of the rotating shapes, each followed by a kick. */
void rt_add_kick(struct rt *rt, unsigned int n)
{
	while (n--) {
		KUNIT_ASSERT_EQ(rt->test, rt_add(rt, -1), 0);
		rt->kick_calls++;
		KUNIT_ASSERT_TRUE(rt->test, vra_kick(rt->vq));
	}
}

/**
 * rt_round_trip() - move @total more buffers through the queue
 * @rt: the harness
 * @total: buffers to add (and get back)
 *
 * Every fourth round the driver adds until the ring is full, the other
 * rounds 1 to 8 buffers; it kicks after every buffer. Then one device step
 * and a harvest (besides the one in the callback). A device that does not
 * get the notifications it asked for sleeps, and the loop stalls: a fail.
 *
 * Return: false on failure (already reported).
 */
bool rt_round_trip(struct rt *rt, u64 total)
{
	u64 end = rt->added + total, limit = 8 * total + 256, r;

	for (r = 1; rt->harvested + rt->recycled < end; r++) {
		u32 want = r % 4 == 1 ? U32_MAX :
			   1 + prandom_u32_state(&rt->rnd) % 8;
		int err = 0;

		if (r > limit) {
			KUNIT_FAIL(rt->test,
				   "stalled: %llu added, %llu back, %u taken, awake %d",
				   rt->added, rt->harvested,
				   vdm_pending(rt->m), rt->m->awake);
			return false;
		}
		while (want-- && rt->added < end) {
			err = rt_add(rt, -1);
			if (err)
				break;
			rt->kick_calls++;
			if (!vra_kick(rt->vq)) {
				KUNIT_FAIL(rt->test, "kick: queue broken");
				return false;
			}
		}
		if (err && err != -ENOSPC) {
			KUNIT_FAIL(rt->test, "add: %d", err);
			return false;
		}
		rt->run(rt);
		rt_harvest(rt);
		if (rt->errors)
			return false;
		/* Big rings take long under TCG: let RCU and others run. */
		cond_resched();
	}
	return true;
}

/* Let the device finish all it took. */
bool rt_drain(struct rt *rt)
{
	unsigned int i, limit = 4 * vra_get_vring_size(rt->vq) + 64;

	for (i = 0; rt_in_flight(rt) && i < limit; i++) {
		rt->run(rt);
		rt_harvest(rt);
		cond_resched();
	}
	KUNIT_EXPECT_EQ_MSG(rt->test, rt_in_flight(rt), 0,
			    "buffers not back after draining");
	return !rt->errors && !rt_in_flight(rt);
}

/*
 * After a drain of a queue that started empty: the ring's counters tell
 * what the driver did and the device saw.
 */
void rt_expect_counters(struct rt *rt)
{
	struct kunit *test = rt->test;
	struct vdm *m = rt->m;
	unsigned int num = vra_get_vring_size(rt->vq), len;
	u64 wraps;

	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_added), rt->added);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_used), rt->added);
	KUNIT_EXPECT_EQ(test, rt->harvested, rt->added);
	/* Every vra_kick_prepare() is a kick or a suppressed one. */
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks) +
			vdm_stat(m, VRA_STAT_kicks_suppressed), rt->kick_calls);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks), m->c.notifies);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_enospc), rt->enospc);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs), m->c.irqs);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_spurious), 0);
	KUNIT_EXPECT_EQ(test, rt->callbacks, m->c.irqs);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_cb_disables),
			rt->cb_disables);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_cb_enables),
			rt->cb_enables);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_used_len_clamped), 0);
	/*
	 * Split: the avail index counts buffers; packed: the wrap counter
	 * flips once per ring of descriptors.
	 */
	if (m->packed) {
		wraps = div_u64(m->c.ring_descs, num);
		KUNIT_EXPECT_EQ(test, m->c.avail_wraps, wraps);
		KUNIT_EXPECT_EQ(test, m->c.used_wraps, wraps);
	} else {
		wraps = div_u64(rt->added, num);
	}
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_avail_wraps), wraps);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_used_wraps), wraps);
	if (!m->external) {
		KUNIT_EXPECT_EQ(test, m->c.bufs_taken, rt->added);
		KUNIT_EXPECT_EQ(test, m->c.bufs_used, rt->added);
		/* With indirect tables "descriptors" is ambiguous; not then. */
		if (!m->indirect)
			KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_descs_added),
					m->c.ring_descs);
		/* Buffers of several parts were added: tables were used. */
		if (m->indirect && rt->max_segs > 1)
			KUNIT_EXPECT_GT_MSG(test, m->c.indirect, 0,
					    "INDIRECT_DESC negotiated, no table used");
		KUNIT_EXPECT_EQ(test, m->c.violations, 0);
	}
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, num);
	KUNIT_EXPECT_NULL(test, vra_get_buf(rt->vq, &len));
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
}
