// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for virtio_alt.ko: the ring against the device model (vdm.c)
 * and the driver harness (rt.c).
 *
 * - virtio_alt_split: the first cases, split layout, one thing each.
 * - virtio_alt_matrix: layout x indirect x event index x in-order x ring
 *   size x completion order, every combination a named case.
 * - virtio_alt_hostile: each protocol violation of a device breaks the
 *   queue with its own reason, returns nothing, and every buffer in flight
 *   comes back once through reset or detach.
 * - virtio_alt_features: notification data, resize, a device that ignores
 *   suppression, used lengths.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/virtio_config.h>

#include "rt.h"

static int rt_suite_init(struct kunit_suite *suite)
{
	rt_matrix_fill();
	return 0;
}

/* A harness of one layout and size, plain features, NAPI off. */
static struct rt *simple_rt(struct kunit *test, bool packed, unsigned int num,
			    u64 extra, enum vdm_len len)
{
	struct rt_param p = { .packed = packed, .num = num };
	struct vdm_script s;
	struct rt *rt;

	rt_script(&p, &s);
	s.len = len;
	s.batch = 0;
	rt = rt_create(test, &p, &s, extra);
	rt->napi = false;
	return rt;
}

/* ---- virtio_alt_split: the first cases ---- */

static const unsigned int ring_sizes[] = { 1, 2, 256 };

static void ring_size_desc(const unsigned int *num, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u", *num);
}

KUNIT_ARRAY_PARAM(ring_size, ring_sizes, ring_size_desc);

/* One buffer at a time, four full wraps: every counter matches. */
static void split_round_trips_wrap_and_count(struct kunit *test)
{
	unsigned int num = *(const unsigned int *)test->param_value;
	struct rt *rt = simple_rt(test, false, num, 0, VDM_LEN_VARY);
	struct vdm *m = rt->m;
	unsigned int n = 4 * num, i, len;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, rt_add(rt, 2), 0);
		KUNIT_ASSERT_TRUE(test, vra_kick(rt->vq));
		vdm_run(m);
	}
	KUNIT_EXPECT_EQ(test, rt->harvested, n);
	KUNIT_EXPECT_NULL(test, vra_get_buf(rt->vq, &len));
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, num);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_added), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_descs_added), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_used), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks), n);
	KUNIT_EXPECT_EQ(test, m->c.notifies, n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks_suppressed), 0);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs), n);
	KUNIT_EXPECT_EQ(test, rt->callbacks, n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_spurious), 0);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_avail_wraps), 4);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_used_wraps), 4);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
	KUNIT_EXPECT_EQ(test, m->c.violations, 0);
}

/* A full ring refuses one more with -ENOSPC, then drains in order. */
static void split_full_ring_enospc_then_drains(struct kunit *test)
{
	unsigned int num = *(const unsigned int *)test->param_value;
	struct rt *rt = simple_rt(test, false, num, 0, VDM_LEN_ALL);
	struct vdm *m = rt->m;
	unsigned int i, len;

	m->callback = NULL;
	for (i = 0; i < num; i++)
		KUNIT_ASSERT_EQ(test, rt_add(rt, 2), 0);
	KUNIT_EXPECT_EQ(test, rt_add(rt, 2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_enospc), 1);
	vra_kick(rt->vq);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks), 1);
	KUNIT_EXPECT_EQ(test, vdm_take(m), num);
	KUNIT_EXPECT_EQ(test, vdm_complete(m, 0), num);
	for (i = 0; i < num; i++) {
		struct rt_slot *slot = vra_get_buf(rt->vq, &len);

		KUNIT_ASSERT_NOT_NULL(test, slot);
		KUNIT_EXPECT_EQ(test, slot->tag, i);
		KUNIT_EXPECT_EQ(test, len, slot->in_len[0]);
		rt_reclaim(rt, slot);
	}
	KUNIT_EXPECT_NULL(test, vra_get_buf(rt->vq, &len));
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, num);
}

/* VRING_USED_F_NO_NOTIFY suppresses the kick, and it is counted. */
static void split_no_notify_flag_suppresses_kick(struct kunit *test)
{
	struct rt *rt = simple_rt(test, false, 8, 0, VDM_LEN_ALL);

	rt->m->used->flags = cpu_to_virtio16(rt->m->vdev,
					     VRING_USED_F_NO_NOTIFY);
	KUNIT_ASSERT_EQ(test, rt_add(rt, 2), 0);
	KUNIT_EXPECT_FALSE(test, vra_kick_prepare(rt->vq));
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_kicks_suppressed), 1);
	KUNIT_EXPECT_EQ(test, rt->m->c.notifies, 0);
}

/* With callbacks disabled, the driver says so and harvests silently. */
static void split_disable_cb_sets_flag_counts_suppressed(struct kunit *test)
{
	struct rt *rt = simple_rt(test, false, 8, 0, VDM_LEN_ALL);
	struct vdm *m = rt->m;

	vra_disable_cb(rt->vq);
	KUNIT_EXPECT_TRUE(test, virtio16_to_cpu(m->vdev, m->avail->flags) &
			  VRING_AVAIL_F_NO_INTERRUPT);
	rt_add_kick(rt, 1);
	vdm_run(m);
	KUNIT_EXPECT_EQ(test, m->c.irqs, 0);
	rt_harvest(rt);
	KUNIT_EXPECT_EQ(test, rt->harvested, 1);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_suppressed), 1);
	KUNIT_EXPECT_TRUE(test, vra_enable_cb(rt->vq));
	KUNIT_EXPECT_FALSE(test, virtio16_to_cpu(m->vdev, m->avail->flags) &
			   VRING_AVAIL_F_NO_INTERRUPT);
}

/* An interrupt that finds nothing is spurious and calls nobody. */
static void split_interrupt_without_used_is_spurious(struct kunit *test)
{
	struct rt *rt = simple_rt(test, false, 4, 0, VDM_LEN_ALL);

	KUNIT_EXPECT_EQ(test, vra_interrupt(0, rt->vq), IRQ_NONE);
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_irqs_spurious), 1);
	KUNIT_EXPECT_EQ(test, rt->callbacks, 0);
}

/*
 * Freed descriptors go to the end of the free list, so with buffers used
 * in order the ids follow the ring: the available ring reads the same
 * every lap, and the driver leaves equal entries unwritten. An entry the
 * device scribbled over is written again before the index exposes it.
 */
static void split_ids_follow_ring_order(struct kunit *test)
{
	struct rt *rt = simple_rt(test, false, 8, 0, VDM_LEN_ALL);
	struct vdm *m = rt->m;
	unsigned int i, k, slot;

	/* Three in flight: a LIFO free list would repeat ids every 3. */
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, rt_add(rt, 1), 0);
	for (i = 0; i < 4 * 8; i++) {
		vra_kick(rt->vq);
		vdm_take(m);
		KUNIT_ASSERT_EQ(test, vdm_complete(m, 1), 1);
		rt_harvest(rt);
		slot = (3 + i) % 8;
		if (i == 2 * 8)
			m->avail->ring[slot] = cpu_to_virtio16(m->vdev,
							       (slot + 1) % 8);
		KUNIT_ASSERT_EQ(test, rt_add(rt, 1), 0);
	}
	/* The device holds two taken earlier; it takes the last one now. */
	vra_kick(rt->vq);
	KUNIT_EXPECT_EQ(test, vdm_take(m), 1);
	KUNIT_EXPECT_EQ(test, vdm_complete(m, 0), 3);
	rt_harvest(rt);
	for (k = 0; k < 8; k++)
		KUNIT_EXPECT_EQ(test,
				virtio16_to_cpu(m->vdev, m->avail->ring[k]), k);
	KUNIT_EXPECT_EQ(test, rt->harvested, 4 * 8 + 3);
	KUNIT_EXPECT_EQ(test, m->c.violations, 0);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
}

/* Seed 004: the used ring starts after used_event, for any alignment. */
static void split_layout_counts_used_event_word(struct kunit *test)
{
	struct vra_split_layout l;

	KUNIT_ASSERT_EQ(test, vra_split_layout(4, 4, &l), 0);
	/* 64 bytes of descriptors, avail 2+2+4*2+2 = 14: used at 80, not 76 */
	KUNIT_EXPECT_EQ(test, l.avail, 64);
	KUNIT_EXPECT_EQ(test, l.used, 80);
	KUNIT_EXPECT_EQ(test, l.size, 80 + 6 + 4 * 8);
	KUNIT_ASSERT_EQ(test, vra_split_layout(256, 4096, &l), 0);
	KUNIT_EXPECT_EQ(test, l.used, 8192);
	KUNIT_EXPECT_EQ(test, vra_split_layout(3, 4, &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, vra_split_layout(4, 6, &l), -EINVAL);
	KUNIT_EXPECT_EQ(test, vra_split_layout(65536, 4, &l), -EINVAL);
}

static struct kunit_case va_split_cases[] = {
	KUNIT_CASE(split_layout_counts_used_event_word),
	KUNIT_CASE(split_ids_follow_ring_order),
	KUNIT_CASE_PARAM(split_round_trips_wrap_and_count, ring_size_gen_params),
	KUNIT_CASE_PARAM(split_full_ring_enospc_then_drains,
			 ring_size_gen_params),
	KUNIT_CASE(split_no_notify_flag_suppresses_kick),
	KUNIT_CASE(split_disable_cb_sets_flag_counts_suppressed),
	KUNIT_CASE(split_interrupt_without_used_is_spurious),
	{}
};

static struct kunit_suite va_split_suite = {
	.name = "virtio_alt_split",
	.test_cases = va_split_cases,
};

/* ---- virtio_alt_matrix ---- */

KUNIT_ARRAY_PARAM(rt_matrix, rt_matrix, rt_param_desc);

/*
 * A few ring-fulls in the device's order: every buffer comes back once,
 * with its token and the length the device wrote, and the counters match.
 */
static void round_trip_returns_every_buffer_once(struct kunit *test)
{
	const struct rt_param *p = test->param_value;
	struct vdm_script s;
	struct rt *rt;

	rt_script(p, &s);
	rt = rt_create(test, p, &s, 0);
	if (rt_round_trip(rt, rt_total(p)) && rt_drain(rt))
		rt_expect_counters(rt);
}

/*
 * Reset with buffers in flight, some used and not harvested: each comes
 * back once through the recycle callback, then the queue works again.
 */
static void reset_returns_in_flight_buffers_once(struct kunit *test)
{
	const struct rt_param *p = test->param_value;
	unsigned int n = min(p->num, 32U), i, busy;
	struct vdm_script s;
	struct rt *rt;

	rt_script(p, &s);
	rt = rt_create(test, p, &s, 0);
	rt->napi = false;
	rt->m->callback = NULL;
	for (i = 0; i < n && !rt_add(rt, -1); i++) {
		rt->kick_calls++;
		KUNIT_ASSERT_TRUE(test, vra_kick(rt->vq));
	}
	vdm_take(rt->m);
	vdm_complete(rt->m, 1);
	busy = rt_busy_slots(rt);
	KUNIT_ASSERT_GT(test, busy, 0);
	KUNIT_ASSERT_EQ(test, vra_reset_vring(rt->vq, rt_recycle), 0);
	KUNIT_EXPECT_EQ(test, rt->recycled, busy);
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, p->num);
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_resets), 1);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
	vdm_attach(rt->m);
	rt->m->callback = NULL;
	if (rt_round_trip(rt, 2 * n))
		rt_drain(rt);
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->m->c.violations, 0);
}

static struct kunit_case va_matrix_cases[] = {
	KUNIT_CASE_PARAM(round_trip_returns_every_buffer_once,
			 rt_matrix_gen_params),
	KUNIT_CASE_PARAM(reset_returns_in_flight_buffers_once,
			 rt_matrix_gen_params),
	{}
};

static struct kunit_suite va_matrix_suite = {
	.name = "virtio_alt_matrix",
	.suite_init = rt_suite_init,
	.test_cases = va_matrix_cases,
};

/* ---- virtio_alt_hostile ---- */

struct hostile_param {
	bool packed;
	bool reset;	/* take the buffers back by reset, else by detach */
};

static const struct hostile_param hostile_params[] = {
	{ false, true }, { false, false }, { true, true }, { true, false },
};

static const struct hostile_param hostile_split_params[] = {
	{ false, true }, { false, false },
};

static const struct hostile_param hostile_packed_params[] = {
	{ true, true }, { true, false },
};

static void hostile_desc(const struct hostile_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s",
		 p->packed ? "packed" : "split", p->reset ? "reset" : "detach");
}

static const struct hostile_param layout_params[] = {
	{ false, false }, { true, false },
};

static void layout_desc(const struct hostile_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 p->packed ? "packed" : "split");
}

KUNIT_ARRAY_PARAM(hostile, hostile_params, hostile_desc);
KUNIT_ARRAY_PARAM(layout, layout_params, layout_desc);
KUNIT_ARRAY_PARAM(hostile_split, hostile_split_params, hostile_desc);
KUNIT_ARRAY_PARAM(hostile_packed, hostile_packed_params, hostile_desc);

/* Three buffers of a tag and one writable part, taken by the device. */
static struct rt *hostile_rt(struct kunit *test, u64 extra)
{
	const struct hostile_param *hp = test->param_value;
	struct rt *rt = simple_rt(test, hp->packed, 8, extra, VDM_LEN_ALL);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, rt_add(rt, 0), 0);
		KUNIT_ASSERT_TRUE(test, vra_kick(rt->vq));
	}
	KUNIT_ASSERT_EQ(test, vdm_take(rt->m), 3);
	return rt;
}

/*
 * Broken for @why alone, nothing more returned, no more adds or kicks; then
 * every buffer in flight comes back exactly once.
 */
static void hostile_expect(struct rt *rt, enum vra_broken why, u64 used)
{
	const struct hostile_param *hp = rt->test->param_value;
	struct kunit *test = rt->test;
	unsigned int b, busy, i;
	void *token;

	rt_harvest(rt);
	KUNIT_EXPECT_EQ(test, rt->harvested, used);
	KUNIT_EXPECT_TRUE(test, vra_is_broken(rt->vq));
	for (b = 0; b < VRA_BROKEN_NR; b++)
		KUNIT_EXPECT_EQ_MSG(test, vdm_broken(rt->m, b), b == why,
				    "broken[%s]", vra_broken_names[b]);
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_bufs_used), used);
	KUNIT_EXPECT_EQ(test, rt_add(rt, 0), -EIO);
	KUNIT_EXPECT_FALSE(test, vra_kick(rt->vq));

	busy = rt_busy_slots(rt);
	KUNIT_EXPECT_GT(test, busy, 0);
	if (hp->reset) {
		KUNIT_EXPECT_EQ(test, vra_reset_vring(rt->vq, rt_recycle), 0);
	} else {
		for (i = 0; i <= rt->nslots; i++) {
			token = vra_detach_unused_buf(rt->vq);
			if (!token)
				break;
			rt_reclaim(rt, token);
		}
	}
	KUNIT_EXPECT_EQ(test, rt->recycled, busy);
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->errors, 0);
}

static void used_id_out_of_range_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vdm_misbehave(rt->m, VDM_HOSTILE_ID_RANGE);
	hostile_expect(rt, VRA_BROKEN_used_id_range, 0);
}

static void used_id_not_in_flight_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vdm_misbehave(rt->m, VDM_HOSTILE_ID_IDLE);
	hostile_expect(rt, VRA_BROKEN_used_id_idle, 0);
}

static void used_id_used_twice_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vdm_misbehave(rt->m, VDM_HOSTILE_ID_TWICE);
	hostile_expect(rt, VRA_BROKEN_used_id_idle, 1);
}

static void used_len_too_long_breaks_strict_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vra_set_strict_len(rt->vq, true);
	vdm_misbehave(rt->m, VDM_HOSTILE_LEN_OVER);
	hostile_expect(rt, VRA_BROKEN_used_len, 0);
}

/* Not strict (the default): clamped to what was posted, and counted. */
static void used_len_too_long_is_clamped_by_default(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);
	struct rt_slot *slot;
	unsigned int len = 0;

	rt->m->callback = NULL;
	vdm_misbehave(rt->m, VDM_HOSTILE_LEN_OVER);
	slot = vra_get_buf(rt->vq, &len);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_EXPECT_EQ(test, len, slot->in_len[0]);
	KUNIT_EXPECT_EQ(test, rt->m->tag_len[slot->tag], slot->in_len[0] + 1);
	rt_reclaim(rt, slot);
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_used_len_clamped), 1);
	KUNIT_EXPECT_EQ(test, vdm_broken(rt->m, VRA_BROKEN_used_len), 0);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
	vdm_complete(rt->m, 0);
	rt_harvest(rt);
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->errors, 0);
}

/* The used index moves by more than the queue size. */
static void split_used_idx_jump_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vdm_misbehave(rt->m, VDM_HOSTILE_IDX_JUMP);
	hostile_expect(rt, VRA_BROKEN_used_idx_jump, 0);
}

/* The used index moves by less than the size, more than in flight. */
static void split_used_idx_past_in_flight_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);
	struct vdm *m = rt->m;

	m->used_idx += 4;
	WRITE_ONCE(m->used->idx, cpu_to_virtio16(m->vdev, m->used_idx));
	vdm_interrupt(m);
	hostile_expect(rt, VRA_BROKEN_used_idx_jump, 0);
}

static void packed_used_flags_wrong_wrap_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, 0);

	vdm_misbehave(rt->m, VDM_HOSTILE_PACKED_WRAP);
	hostile_expect(rt, VRA_BROKEN_packed_flags, 0);
}

static void split_in_order_entry_skipping_a_buffer_breaks_queue(struct kunit *test)
{
	struct rt *rt = hostile_rt(test, BIT_ULL(VIRTIO_F_IN_ORDER));

	vdm_misbehave(rt->m, VDM_HOSTILE_IN_ORDER_SKIP);
	hostile_expect(rt, VRA_BROKEN_in_order_skip, 0);
}

static void notify_failure_breaks_queue(struct kunit *test)
{
	const struct hostile_param *hp = test->param_value;
	struct rt *rt = simple_rt(test, hp->packed, 8, 0, VDM_LEN_ALL);

	rt->m->notify_fails = true;
	KUNIT_ASSERT_EQ(test, rt_add(rt, 0), 0);
	KUNIT_EXPECT_FALSE(test, vra_kick(rt->vq));
	hostile_expect(rt, VRA_BROKEN_notify_failed, 0);
}

/*
 * Harvest what the device used and expect the ring whole again: nothing in
 * flight, all @free0 descriptors free, no rule broken on either side.
 */
static void rt_harvest_all_clean(struct rt *rt, unsigned int free0)
{
	struct kunit *test = rt->test;

	rt_harvest(rt);
	KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, free0);
	KUNIT_EXPECT_EQ(test, rt->m->c.violations, 0);
	KUNIT_EXPECT_EQ(test, rt->errors, 0);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(rt->vq));
}

/*
 * The indirect table of a four-entry buffer cannot be allocated: the
 * kernel's fault injection fails the next allocation of this task, as
 * /proc/self/fail-nth would (failslab by default skips allocations that
 * may reclaim, so this add passes GFP_ATOMIC). The buffer goes into the
 * ring as a chain of four descriptors instead, nothing is lost, and the
 * device gets it whole.
 */
static void indirect_table_alloc_failure_chains(struct kunit *test)
{
#ifdef CONFIG_FAILSLAB
	const struct hostile_param *hp = test->param_value;
	struct rt *rt = simple_rt(test, hp->packed, 8,
				  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC),
				  VDM_LEN_ALL);
	unsigned int free0 = rt->vq->num_free, left;
	int err;

	rt->gfp = GFP_ATOMIC;
	/* With a table: one ring descriptor, the device reads four. */
	KUNIT_ASSERT_EQ(test, rt_add(rt, 4), 0);
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, free0 - 1);
	WRITE_ONCE(current->fail_nth, 1);
	err = rt_add(rt, 4);
	left = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ_MSG(test, left, 0, "no allocation failed");
	/* Without: four ring descriptors. */
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, free0 - 5);
	vra_kick(rt->vq);
	KUNIT_EXPECT_EQ(test, vdm_take(rt->m), 2);
	KUNIT_EXPECT_EQ(test, rt->m->c.indirect, 1);
	KUNIT_EXPECT_EQ(test, rt->m->c.table_descs, 4);
	KUNIT_EXPECT_EQ(test, rt->m->c.ring_descs, 5);
	KUNIT_EXPECT_EQ(test, vdm_complete(rt->m, 0), 2);
	rt_harvest_all_clean(rt, free0);
#else
	kunit_skip(test, "needs CONFIG_FAILSLAB (fault injection)");
#endif
}

/*
 * The table of a used buffer of up to four entries waits in the queue's
 * pool, and the next small indirect buffer takes it: a two-entry buffer
 * gets the four-entry buffer's table back (without the pool it would come
 * from a smaller slab cache), and the device reads the new entries.
 */
static void indirect_table_reused_from_pool(struct kunit *test)
{
	const struct hostile_param *hp = test->param_value;
	struct rt *rt = simple_rt(test, hp->packed, 8,
				  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC),
				  VDM_LEN_ALL);
	unsigned int free0 = rt->vq->num_free;
	u64 table;

	KUNIT_ASSERT_EQ(test, rt_add(rt, 4), 0);
	vra_kick(rt->vq);
	KUNIT_ASSERT_EQ(test, vdm_take(rt->m), 1);
	table = rt->m->last_table;
	KUNIT_EXPECT_EQ(test, vdm_complete(rt->m, 0), 1);
	rt_harvest(rt);
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, free0);

	KUNIT_ASSERT_EQ(test, rt_add(rt, 0), 0);
	/* Still one ring descriptor: a table, not a chain. */
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, free0 - 1);
	vra_kick(rt->vq);
	KUNIT_ASSERT_EQ(test, vdm_take(rt->m), 1);
	KUNIT_EXPECT_EQ(test, rt->m->last_table, table);
	KUNIT_EXPECT_EQ(test, rt->m->c.indirect, 2);
	KUNIT_EXPECT_EQ(test, rt->m->c.table_descs, 4 + 2);
	KUNIT_EXPECT_EQ(test, vdm_complete(rt->m, 0), 1);
	rt_harvest_all_clean(rt, free0);
}

static struct kunit_case va_hostile_cases[] = {
	KUNIT_CASE_PARAM(used_id_out_of_range_breaks_queue,
			 hostile_gen_params),
	KUNIT_CASE_PARAM(used_id_not_in_flight_breaks_queue,
			 hostile_gen_params),
	KUNIT_CASE_PARAM(used_id_used_twice_breaks_queue, hostile_gen_params),
	KUNIT_CASE_PARAM(used_len_too_long_breaks_strict_queue,
			 hostile_gen_params),
	KUNIT_CASE_PARAM(used_len_too_long_is_clamped_by_default,
			 layout_gen_params),
	KUNIT_CASE_PARAM(split_used_idx_jump_breaks_queue,
			 hostile_split_gen_params),
	KUNIT_CASE_PARAM(split_used_idx_past_in_flight_breaks_queue,
			 hostile_split_gen_params),
	KUNIT_CASE_PARAM(packed_used_flags_wrong_wrap_breaks_queue,
			 hostile_packed_gen_params),
	KUNIT_CASE_PARAM(split_in_order_entry_skipping_a_buffer_breaks_queue,
			 hostile_split_gen_params),
	KUNIT_CASE_PARAM(notify_failure_breaks_queue, hostile_gen_params),
	KUNIT_CASE_PARAM(indirect_table_alloc_failure_chains,
			 layout_gen_params),
	KUNIT_CASE_PARAM(indirect_table_reused_from_pool, layout_gen_params),
	{}
};

static struct kunit_suite va_hostile_suite = {
	.name = "virtio_alt_hostile",
	.test_cases = va_hostile_cases,
};

/* ---- virtio_alt_features ---- */

struct feat_param {
	bool packed;
	unsigned int num;
	bool evidx;
	enum vdm_len len;
	unsigned int to;	/* resize target */
};

static void feat_desc(const struct feat_param *p, char *desc)
{
	static const char * const lens[] = {
		[VDM_LEN_ALL] = "len=all", [VDM_LEN_VARY] = "len=vary",
		[VDM_LEN_ZERO] = "len=0",
	};

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s n=%u %s", p->packed ?
		 "packed" : "split", p->evidx ? " evidx" : "", p->num,
		 lens[p->len]);
	if (p->to)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s n=%u to %u",
			 p->packed ? "packed" : "split", p->num, p->to);
}

static const struct feat_param notif_params[] = {
	{ false, 4 }, { false, 256 }, { true, 3 }, { true, 256 },
};

static const struct feat_param ignore_params[] = {
	{ false, 16, false }, { false, 16, true },
	{ true, 15, false }, { true, 15, true },
};

static const struct feat_param len_params[] = {
	{ false, 16, false, VDM_LEN_ALL }, { false, 16, false, VDM_LEN_ZERO },
	{ true, 15, false, VDM_LEN_ALL }, { true, 15, false, VDM_LEN_ZERO },
};

static const struct feat_param resize_params[] = {
	{ .packed = false, .num = 256, .to = 64 },
	{ .packed = false, .num = 64, .to = 1024 },
	{ .packed = true, .num = 255, .to = 100 },
	{ .packed = true, .num = 3, .to = 300 },
};

KUNIT_ARRAY_PARAM(notif, notif_params, feat_desc);
KUNIT_ARRAY_PARAM(ignore, ignore_params, feat_desc);
KUNIT_ARRAY_PARAM(len, len_params, feat_desc);
KUNIT_ARRAY_PARAM(resize, resize_params, feat_desc);

static struct rt *feat_rt(struct kunit *test, const struct feat_param *fp,
			  u64 extra)
{
	struct rt_param p = {
		.packed = fp->packed, .evidx = fp->evidx, .num = fp->num,
	};
	struct vdm_script s;

	rt_script(&p, &s);
	s.len = fp->len;
	return rt_create(test, &p, &s, extra);
}

/* 2.9 Driver Notifications: vq index, next offset and wrap. */
static void notification_data_names_next_avail(struct kunit *test)
{
	const struct feat_param *fp = test->param_value;
	struct rt_param p = { .packed = fp->packed, .num = fp->num };
	struct rt *rt = feat_rt(test, fp, BIT_ULL(VIRTIO_F_NOTIFICATION_DATA));

	if (rt_round_trip(rt, rt_total(&p)) && rt_drain(rt))
		rt_expect_counters(rt);
	KUNIT_EXPECT_GT(test, rt->m->c.notifies, 0);
}

/* A device that notifies always and asks for every kick. */
static void device_ignoring_suppression_gets_every_kick(struct kunit *test)
{
	const struct feat_param *fp = test->param_value;
	struct rt_param p = {
		.packed = fp->packed, .evidx = fp->evidx, .num = fp->num,
	};
	struct vdm_script s;
	struct rt *rt;

	rt_script(&p, &s);
	s.honour_suppression = false;
	rt = rt_create(test, &p, &s, 0);
	if (rt_round_trip(rt, rt_total(&p)) && rt_drain(rt))
		rt_expect_counters(rt);
	KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_kicks_suppressed), 0);
}

/* Used lengths of all or nothing come back exactly. */
static void used_len_reported_exactly(struct kunit *test)
{
	const struct feat_param *fp = test->param_value;
	struct rt_param p = { .packed = fp->packed, .num = fp->num };
	struct rt *rt = feat_rt(test, fp, 0);

	if (rt_round_trip(rt, rt_total(&p)) && rt_drain(rt))
		rt_expect_counters(rt);
}

/* Resize with buffers in flight: each back once, then the new size works. */
static void resize_returns_in_flight_then_round_trips(struct kunit *test)
{
	const struct feat_param *fp = test->param_value;
	struct rt_param p = {
		.packed = fp->packed, .num = fp->num, .slots = fp->to,
	};
	struct vdm_script s;
	unsigned int busy, i;
	struct rt *rt;

	rt_script(&p, &s);
	rt = rt_create(test, &p, &s, 0);
	rt->m->callback = NULL;
	for (i = 0; i < 16 && !rt_add(rt, -1); i++) {
		rt->kick_calls++;
		KUNIT_ASSERT_TRUE(test, vra_kick(rt->vq));
	}
	vdm_take(rt->m);
	vdm_complete(rt->m, 1);
	busy = rt_busy_slots(rt);
	KUNIT_ASSERT_EQ(test, vra_resize_vring(rt->vq, fp->to, rt_recycle), 0);
	KUNIT_EXPECT_EQ(test, rt->recycled, busy);
	KUNIT_ASSERT_EQ(test, vra_get_vring_size(rt->vq), fp->to);
	KUNIT_EXPECT_EQ(test, rt->vq->num_free, fp->to);
	vdm_attach(rt->m);
	rt->max_segs = min(fp->to, 4U);
	p.num = fp->to;
	if (rt_round_trip(rt, rt_total(&p)) && rt_drain(rt))
		KUNIT_EXPECT_EQ(test, rt_busy_slots(rt), 0);
	KUNIT_EXPECT_EQ(test, rt->m->c.violations, 0);
}

/* Every vra_kick_prepare() call is counted, even with nothing new. */
static void every_kick_prepare_is_counted(struct kunit *test)
{
	const struct feat_param *fp = test->param_value;
	struct rt *rt = feat_rt(test, fp, 0);
	unsigned int i;

	for (i = 0; i < 3; i++) {
		vra_kick(rt->vq);
		KUNIT_EXPECT_EQ(test, vdm_stat(rt->m, VRA_STAT_kicks) +
				vdm_stat(rt->m, VRA_STAT_kicks_suppressed),
				i + 1);
	}
}

static struct kunit_case va_feature_cases[] = {
	KUNIT_CASE_PARAM(notification_data_names_next_avail, notif_gen_params),
	KUNIT_CASE_PARAM(device_ignoring_suppression_gets_every_kick,
			 ignore_gen_params),
	KUNIT_CASE_PARAM(used_len_reported_exactly, len_gen_params),
	KUNIT_CASE_PARAM(resize_returns_in_flight_then_round_trips,
			 resize_gen_params),
	KUNIT_CASE_PARAM(every_kick_prepare_is_counted, ignore_gen_params),
	{}
};

static struct kunit_suite va_feature_suite = {
	.name = "virtio_alt_features",
	.test_cases = va_feature_cases,
};

kunit_test_suites(&va_split_suite, &va_matrix_suite, &va_hostile_suite,
		  &va_feature_suite);

MODULE_DESCRIPTION("KUnit tests for virtio_alt.ko");
MODULE_LICENSE("GPL");
