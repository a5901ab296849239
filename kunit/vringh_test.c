// SPDX-License-Identifier: GPL-2.0-only
/*
 * The split round trips of the matrix against the kernel's own host-side
 * ring, vringh (drivers/vhost/vringh.c), as a second device independent of
 * vdm.c: if both devices agree with the ring, the model is less likely to
 * share a misreading of the specification with the ring.
 *
 * vringh has no packed layout, so only the split part of the matrix runs.
 * It needs CONFIG_VHOST_RING, which nothing in the test kernel selects yet:
 * without it every case is skipped (with that reason), and the code below
 * compiles away.
 *
 * The ring hands out DMA addresses, physical here. vringh_*_kern() would
 * take them for kernel virtual addresses (and read indirect tables through
 * them), so the iotlb flavour is used with an identity map of physical
 * memory: vringh then reaches ring, tables and buffers through the same
 * addresses a device would.
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/slab.h>

#include "rt.h"

#if IS_ENABLED(CONFIG_VHOST_RING)
#include <linux/vhost_iotlb.h>
#include <linux/vringh.h>

/* Identity map up to 2^52 bytes: every physical address of the guest. */
#define VRH_PHYS_END	(BIT_ULL(52) - 1)
#define VRH_MAX_IN	256

struct vrh_buf {
	u64 tag;
	u32 in_len;
	u32 len;
	u16 head;
};

struct vrh_dev {
	struct vringh vrh;
	struct vhost_iotlb *iotlb;
	spinlock_t lock;	/* vringh's iotlb lock */
	struct vringh_kiov riov, wiov;
	struct vrh_buf *pending;
	unsigned int head, count;
	u8 bounce[VRH_MAX_IN];
};

static void vrh_free(void *p)
{
	struct vrh_dev *d = p;

	vringh_kiov_cleanup(&d->riov);
	vringh_kiov_cleanup(&d->wiov);
	vhost_iotlb_free(d->iotlb);
}

static u32 vrh_kiov_len(const struct vringh_kiov *k)
{
	unsigned int i;
	u32 n = 0;

	for (i = k->i; i < k->used; i++)
		n += k->iov[i].iov_len;
	return n;
}

/* Take one buffer; false if none (or an error, reported). */
static bool vrh_take_one(struct rt *rt, struct vrh_dev *d)
{
	struct vdm *m = rt->m;
	struct vringh_kiov *first;
	struct vrh_buf *b;
	u16 head;
	int err;

	err = vringh_getdesc_iotlb(&d->vrh, &d->riov, &d->wiov, &head,
				   GFP_KERNEL);
	if (err < 0)
		KUNIT_FAIL(rt->test, "vringh_getdesc_iotlb: %d", err);
	if (err <= 0)
		return false;
	b = &d->pending[(d->head + d->count++) % m->num];
	b->head = head;
	b->tag = VDM_NO_TAG;
	/* The tag, as vdm.c reads it; iov_base is the (identity) IOVA. */
	first = d->riov.used ? &d->riov : &d->wiov;
	if (first->used && first->iov[first->i].iov_len >= sizeof(u64))
		memcpy(&b->tag,
		       phys_to_virt((phys_addr_t)(uintptr_t)
				    first->iov[first->i].iov_base),
		       sizeof(u64));
	b->in_len = vrh_kiov_len(&d->wiov);
	KUNIT_ASSERT_LE(rt->test, b->in_len, VRH_MAX_IN);
	memset(d->bounce, vdm_pattern(b->tag), b->in_len);
	KUNIT_EXPECT_EQ(rt->test, vringh_iov_push_iotlb(&d->vrh, &d->wiov,
							d->bounce, b->in_len),
			b->in_len);
	b->len = m->s.len == VDM_LEN_ALL ? b->in_len :
		 m->s.len == VDM_LEN_ZERO ? 0 :
		 prandom_u32_state(&m->rnd) % (b->in_len + 1);
	return true;
}

static struct vrh_buf vrh_pop(struct vrh_dev *d, struct vdm *m)
{
	unsigned int i = 0;
	struct vrh_buf b;

	if (!m->in_order && m->s.order == VDM_ORDER_REVERSE)
		i = d->count - 1;
	else if (!m->in_order && m->s.order == VDM_ORDER_RANDOM)
		i = prandom_u32_state(&m->rnd) % d->count;
	swap(d->pending[(d->head + i) % m->num], d->pending[d->head]);
	b = d->pending[d->head];
	d->head = (d->head + 1) % m->num;
	d->count--;
	return b;
}

/* One device step, as vdm_run() but by vringh. */
static void vrh_run(struct rt *rt)
{
	struct vrh_dev *d = rt->dev;
	struct vdm *m = rt->m;
	unsigned int k;

	if (m->awake) {
		if (m->s.honour_suppression)
			vringh_notify_disable_iotlb(&d->vrh);
		for (;;) {
			if (vrh_take_one(rt, d))
				continue;
			/* Re-enable, and look once more if something came. */
			if (!m->s.honour_suppression ||
			    vringh_notify_enable_iotlb(&d->vrh)) {
				m->awake = false;
				break;
			}
		}
	}
	k = m->s.batch ? min(m->s.batch, d->count) : d->count;
	if (!k)
		return;
	while (k--) {
		struct vrh_buf b = vrh_pop(d, m);

		KUNIT_EXPECT_EQ(rt->test,
				vringh_complete_iotlb(&d->vrh, b.head, b.len), 0);
		if (b.tag < m->ntags)
			m->tag_len[b.tag] = b.len;
		m->c.bufs_used++;
	}
	if (!m->s.honour_suppression || vringh_need_notify_iotlb(&d->vrh) > 0)
		vdm_interrupt(m);
}

static void vrh_attach(struct kunit *test, struct rt *rt)
{
	struct vrh_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	struct virtqueue *vq = rt->vq;
	struct vdm *m = rt->m;

	KUNIT_ASSERT_NOT_NULL(test, d);
	d->pending = kunit_kcalloc(test, m->num, sizeof(*d->pending),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d->pending);
	spin_lock_init(&d->lock);
	vringh_kiov_init(&d->riov, NULL, 0);
	vringh_kiov_init(&d->wiov, NULL, 0);
	/* Two entries: vhost splits a map of all 64 bits in two. */
	d->iotlb = vhost_iotlb_alloc(2, 0);
	KUNIT_ASSERT_NOT_NULL(test, d->iotlb);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vrh_free, d));
	KUNIT_ASSERT_EQ(test, vhost_iotlb_add_range(d->iotlb, 0, VRH_PHYS_END,
						    0, VHOST_MAP_RW), 0);
	/* With an iotlb, the ring parts are given by their IOVA. */
	KUNIT_ASSERT_EQ(test, vringh_init_iotlb(&d->vrh, m->vdev->features,
						m->num, true,
						(void *)(uintptr_t)vra_get_desc_addr(vq),
						(void *)(uintptr_t)vra_get_avail_addr(vq),
						(void *)(uintptr_t)vra_get_used_addr(vq)),
			0);
	vringh_set_iotlb(&d->vrh, d->iotlb, &d->lock);
	m->external = true;
	rt->dev = d;
	rt->run = vrh_run;
}

static void vringh_round_trip_returns_every_buffer_once(struct kunit *test)
{
	const struct rt_param *p = test->param_value;
	struct vdm_script s;
	struct rt *rt;

	rt_script(p, &s);
	rt = rt_create(test, p, &s, 0);
	vrh_attach(test, rt);
	if (rt_round_trip(rt, rt_total(p)) && rt_drain(rt))
		rt_expect_counters(rt);
}
#else
static void vringh_round_trip_returns_every_buffer_once(struct kunit *test)
{
	kunit_skip(test, "CONFIG_VHOST_RING is off: no vringh to compare with");
}
#endif

static int vrh_suite_init(struct kunit_suite *suite)
{
	rt_matrix_fill();
	return 0;
}

KUNIT_ARRAY_PARAM(rt_split_matrix, rt_split_matrix, rt_param_desc);

static struct kunit_case va_vringh_cases[] = {
	KUNIT_CASE_PARAM(vringh_round_trip_returns_every_buffer_once,
			 rt_split_matrix_gen_params),
	{}
};

static struct kunit_suite va_vringh_suite = {
	.name = "virtio_alt_vringh",
	.suite_init = vrh_suite_init,
	.test_cases = va_vringh_cases,
};

kunit_test_suites(&va_vringh_suite);
