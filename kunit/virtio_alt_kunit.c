// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for virtio_alt.ko: the split ring against an in-kernel device
 * model.
 *
 * The model plays the device side of virtio 1.3, 2.7 from the DMA addresses
 * the ring hands out, as a device would (no back door into the ring's
 * private state), and can be told to misbehave: used ids out of range or
 * not in flight, used lengths past the buffer, a used index that jumps.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "../virtio_ring_alt.h"

#define VDM_BUF_LEN 64

/* The device model: one split queue, seen through its DMA addresses. */
struct vdm {
	struct kunit *test;
	struct virtio_device *vdev;
	struct virtqueue *vq;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	unsigned int num;
	u16 last_avail;
	u16 used_idx;
	unsigned int notifies;
	unsigned int callbacks;
};

static struct vdm *vdm_current;

static bool vdm_notify(struct virtqueue *vq)
{
	vdm_current->notifies++;
	return true;
}

static void vdm_callback(struct virtqueue *vq)
{
	vdm_current->callbacks++;
}

static void vdm_del_vq(void *vq)
{
	vra_del_virtqueue(vq);
}

static struct vdm *vdm_create(struct kunit *test, unsigned int num,
			      u64 features)
{
	struct vdm *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct device *dma_dev;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->test = test;
	m->vdev = kunit_kzalloc(test, sizeof(*m->vdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->vdev);
	m->vdev->dev.init_name = "va-kunit";
	m->vdev->features = BIT_ULL(VIRTIO_F_VERSION_1) | features;

	dma_dev = kunit_device_register(test, "va-kunit-dma");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dma_dev));
	dma_dev->coherent_dma_mask = DMA_BIT_MASK(64);
	dma_dev->dma_mask = &dma_dev->coherent_dma_mask;

	vdm_current = m;
	m->vq = vra_create_virtqueue(0, num, 4096, m->vdev, true, false, false,
				     vdm_notify, vdm_callback, "kunit", dma_dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m->vq));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vdm_del_vq, m->vq));
	m->num = vra_get_vring_size(m->vq);
	KUNIT_ASSERT_EQ(test, m->num, num);
	m->desc = phys_to_virt(vra_get_desc_addr(m->vq));
	m->avail = phys_to_virt(vra_get_avail_addr(m->vq));
	m->used = phys_to_virt(vra_get_used_addr(m->vq));
	return m;
}

static u64 vdm_stat(struct vdm *m, enum vra_stat s)
{
	return READ_ONCE(vra_get_stats(m->vq)->v[s]);
}

static u64 vdm_broken(struct vdm *m, enum vra_broken b)
{
	return READ_ONCE(vra_get_stats(m->vq)->broken[b]);
}

/*
 * Take the next available buffer: its head, and the device-writable bytes
 * of its chain, written with a pattern. Returns false when none is there.
 */
static bool vdm_pop(struct vdm *m, u16 *head, u32 *in_len)
{
	u16 idx = virtio16_to_cpu(m->vdev, READ_ONCE(m->avail->idx)), i, n = 0;
	u16 flags;

	if (idx == m->last_avail)
		return false;
	/* Read the ring entry only after the index that exposes it. */
	virt_rmb();
	*head = virtio16_to_cpu(m->vdev, m->avail->ring[m->last_avail % m->num]);
	m->last_avail++;
	*in_len = 0;
	i = *head;
	do {
		struct vring_desc *d = &m->desc[i];
		u32 len = virtio32_to_cpu(m->vdev, d->len);

		flags = virtio16_to_cpu(m->vdev, d->flags);
		if (flags & VRING_DESC_F_WRITE) {
			memset(phys_to_virt(virtio64_to_cpu(m->vdev, d->addr)), 0xa5, len);
			*in_len += len;
		}
		i = virtio16_to_cpu(m->vdev, d->next);
		KUNIT_ASSERT_LT(m->test, ++n, m->num + 1);
	} while (flags & VRING_DESC_F_NEXT);
	return true;
}

/* Put one used element and publish it, as a device does (2.7.8). */
static void vdm_push(struct vdm *m, u32 id, u32 len)
{
	struct vring_used_elem *e = &m->used->ring[m->used_idx % m->num];

	e->id = cpu_to_virtio32(m->vdev, id);
	e->len = cpu_to_virtio32(m->vdev, len);
	/* The element before the index that exposes it. */
	virt_wmb();
	m->used_idx++;
	WRITE_ONCE(m->used->idx, cpu_to_virtio16(m->vdev, m->used_idx));
}

static void *vdm_add_in(struct vdm *m, int *err)
{
	struct scatterlist sg;
	void *buf = kunit_kzalloc(m->test, VDM_BUF_LEN, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(m->test, buf);
	sg_init_one(&sg, buf, VDM_BUF_LEN);
	*err = vra_add_inbuf(m->vq, &sg, 1, buf, GFP_KERNEL);
	return buf;
}

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
	unsigned int n = 4 * num, i, len;
	struct vdm *m = vdm_create(test, num, 0);

	for (i = 0; i < n; i++) {
		void *buf, *got;
		u32 in_len;
		u16 head;
		int err;

		buf = vdm_add_in(m, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
		KUNIT_ASSERT_TRUE(test, vra_kick(m->vq));
		KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
		KUNIT_EXPECT_EQ(test, in_len, VDM_BUF_LEN);
		vdm_push(m, head, i % VDM_BUF_LEN);
		KUNIT_EXPECT_EQ(test, vra_interrupt(0, m->vq), IRQ_HANDLED);
		got = vra_get_buf(m->vq, &len);
		KUNIT_ASSERT_PTR_EQ(test, got, buf);
		KUNIT_EXPECT_EQ(test, len, i % VDM_BUF_LEN);
		KUNIT_EXPECT_EQ(test, *(u8 *)buf, 0xa5);
	}
	KUNIT_EXPECT_NULL(test, vra_get_buf(m->vq, &len));
	KUNIT_EXPECT_EQ(test, m->vq->num_free, num);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_added), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_descs_added), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_used), n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks), n);
	KUNIT_EXPECT_EQ(test, m->notifies, n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks_suppressed), 0);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs), n);
	KUNIT_EXPECT_EQ(test, m->callbacks, n);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_spurious), 0);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_avail_wraps), 4);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_used_wraps), 4);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(m->vq));
}

/* A full ring refuses one more with -ENOSPC, then drains in order. */
static void split_full_ring_enospc_then_drains(struct kunit *test)
{
	unsigned int num = *(const unsigned int *)test->param_value;
	struct vdm *m = vdm_create(test, num, 0);
	void **bufs = kunit_kcalloc(test, num, sizeof(*bufs), GFP_KERNEL);
	unsigned int i, len;
	u32 in_len;
	u16 head;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, bufs);
	for (i = 0; i < num; i++) {
		bufs[i] = vdm_add_in(m, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	vdm_add_in(m, &err);
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_enospc), 1);
	vra_kick(m->vq);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks), 1);
	for (i = 0; i < num; i++) {
		KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
		vdm_push(m, head, 1);
	}
	for (i = 0; i < num; i++)
		KUNIT_EXPECT_PTR_EQ(test, vra_get_buf(m->vq, &len), bufs[i]);
	KUNIT_EXPECT_NULL(test, vra_get_buf(m->vq, &len));
	KUNIT_EXPECT_EQ(test, m->vq->num_free, num);
}

/* VRING_USED_F_NO_NOTIFY suppresses the kick, and it is counted. */
static void split_no_notify_flag_suppresses_kick(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 8, 0);
	int err;

	m->used->flags = cpu_to_virtio16(m->vdev, VRING_USED_F_NO_NOTIFY);
	vdm_add_in(m, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_FALSE(test, vra_kick_prepare(m->vq));
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_kicks_suppressed), 1);
	KUNIT_EXPECT_EQ(test, m->notifies, 0);
}

/* With callbacks disabled, the driver says so and harvests silently. */
static void split_disable_cb_sets_flag_counts_suppressed(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 8, 0);
	unsigned int len;
	u32 in_len;
	u16 head;
	int err;

	vra_disable_cb(m->vq);
	KUNIT_EXPECT_TRUE(test, virtio16_to_cpu(m->vdev, m->avail->flags) &
			  VRING_AVAIL_F_NO_INTERRUPT);
	vdm_add_in(m, &err);
	vra_kick(m->vq);
	KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
	vdm_push(m, head, 0);
	KUNIT_EXPECT_NOT_NULL(test, vra_get_buf(m->vq, &len));
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_suppressed), 1);
	KUNIT_EXPECT_TRUE(test, vra_enable_cb(m->vq));
	KUNIT_EXPECT_FALSE(test, virtio16_to_cpu(m->vdev, m->avail->flags) &
			   VRING_AVAIL_F_NO_INTERRUPT);
}

/* An interrupt that finds nothing is spurious and calls nobody. */
static void split_interrupt_without_used_is_spurious(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 4, 0);

	KUNIT_EXPECT_EQ(test, vra_interrupt(0, m->vq), IRQ_NONE);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_irqs_spurious), 1);
	KUNIT_EXPECT_EQ(test, m->callbacks, 0);
}

/* Shared tail of the hostile cases: broken, nothing returned, no adds. */
static void expect_broken(struct vdm *m, enum vra_broken why)
{
	struct kunit *test = m->test;
	unsigned int len;
	int err;

	KUNIT_EXPECT_NULL(test, vra_get_buf(m->vq, &len));
	KUNIT_EXPECT_TRUE(test, vra_is_broken(m->vq));
	KUNIT_EXPECT_EQ(test, vdm_broken(m, why), 1);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_used), 0);
	vdm_add_in(m, &err);
	KUNIT_EXPECT_EQ(test, err, -EIO);
	KUNIT_EXPECT_FALSE(test, vra_kick(m->vq));
	/* The in-flight buffer comes back through detach, unmapped. */
	KUNIT_EXPECT_NOT_NULL(test, vra_detach_unused_buf(m->vq));
}

static void split_used_id_out_of_range_breaks_queue(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 256, 0);
	u32 in_len;
	u16 head;
	int err;

	vdm_add_in(m, &err);
	vra_kick(m->vq);
	KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
	vdm_push(m, 256 + head, 0);
	expect_broken(m, VRA_BROKEN_used_id_range);
}

static void split_used_id_not_in_flight_breaks_queue(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 256, 0);
	u32 in_len;
	u16 head;
	int err;

	vdm_add_in(m, &err);
	vra_kick(m->vq);
	KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
	vdm_push(m, head + 1, 0);
	expect_broken(m, VRA_BROKEN_used_id_idle);
}

static void split_used_len_too_long_breaks_queue(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 4, 0);
	u32 in_len;
	u16 head;
	int err;

	vdm_add_in(m, &err);
	vra_kick(m->vq);
	KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
	vdm_push(m, head, in_len + 1);
	expect_broken(m, VRA_BROKEN_used_len);
}

static void split_used_idx_jump_breaks_queue(struct kunit *test)
{
	struct vdm *m = vdm_create(test, 16, 0);
	u32 in_len;
	u16 head;
	int err;

	vdm_add_in(m, &err);
	vra_kick(m->vq);
	KUNIT_ASSERT_TRUE(test, vdm_pop(m, &head, &in_len));
	vdm_push(m, head, 0);
	m->used->idx = cpu_to_virtio16(m->vdev, 5);
	expect_broken(m, VRA_BROKEN_used_idx_jump);
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
	KUNIT_CASE_PARAM(split_round_trips_wrap_and_count, ring_size_gen_params),
	KUNIT_CASE_PARAM(split_full_ring_enospc_then_drains,
			 ring_size_gen_params),
	KUNIT_CASE(split_no_notify_flag_suppresses_kick),
	KUNIT_CASE(split_disable_cb_sets_flag_counts_suppressed),
	KUNIT_CASE(split_interrupt_without_used_is_spurious),
	KUNIT_CASE(split_used_id_out_of_range_breaks_queue),
	KUNIT_CASE(split_used_id_not_in_flight_breaks_queue),
	KUNIT_CASE(split_used_len_too_long_breaks_queue),
	KUNIT_CASE(split_used_idx_jump_breaks_queue),
	{}
};

static struct kunit_suite va_split_suite = {
	.name = "virtio_alt_split",
	.test_cases = va_split_cases,
};

kunit_test_suites(&va_split_suite);

MODULE_DESCRIPTION("KUnit tests for virtio_alt.ko");
MODULE_LICENSE("GPL");
