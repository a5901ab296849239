// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the virtio PCI capability parser (pci_caps.c) on configuration
 * spaces built here byte by byte from virtio 1.3, 4.1.4: a QEMU-like good
 * layout, and every way a device can get a capability wrong (short,
 * truncated by the end of configuration space, outside its BAR, reserved or
 * absent BAR, overlapping, repeated shared memory ids, a looping list).
 */
#include <kunit/test.h>
#include <linux/pci_regs.h>
#include <linux/virtio_pci.h>

#include "../compat.h"
#include "../pci_caps.h"

struct cfgb {
	u8 cfg[VP_CFG_SPACE];
	u8 last;		/* position of the last capability added */
	u64 bar_len[VP_NUM_BARS];
};

static void cfgb_init(struct cfgb *b)
{
	memset(b, 0, sizeof(*b));
	put_unaligned_le16(PCI_STATUS_CAP_LIST, b->cfg + PCI_STATUS);
	b->bar_len[4] = 0x4000;
}

/* Link a capability of @len bytes at @pos into the list. */
static u8 *cfgb_link(struct cfgb *b, u8 pos, u8 id, u8 len)
{
	if (b->last)
		b->cfg[b->last + PCI_CAP_LIST_NEXT] = pos;
	else
		b->cfg[PCI_CAPABILITY_LIST] = pos;
	b->last = pos;
	b->cfg[pos + PCI_CAP_LIST_ID] = id;
	b->cfg[pos + PCI_CAP_LIST_NEXT] = 0;
	if (pos + 2 < VP_CFG_SPACE)
		b->cfg[pos + 2] = len;
	return b->cfg + pos;
}

/* A virtio structure capability (cap64 fields when @len is 24 or more). */
static void cfgb_cap(struct cfgb *b, u8 pos, u8 len, u8 type, u8 bar, u8 id,
		     u64 offset, u64 length)
{
	u8 *c = cfgb_link(b, pos, PCI_CAP_ID_VNDR, len);

	c[offsetof(struct virtio_pci_cap, cfg_type)] = type;
	c[offsetof(struct virtio_pci_cap, bar)] = bar;
	c[offsetof(struct virtio_pci_cap, id)] = id;
	put_unaligned_le32(lower_32_bits(offset),
			   c + offsetof(struct virtio_pci_cap, offset));
	put_unaligned_le32(lower_32_bits(length),
			   c + offsetof(struct virtio_pci_cap, length));
	if (len >= sizeof(struct virtio_pci_cap64)) {
		put_unaligned_le32(upper_32_bits(offset),
				   c + offsetof(struct virtio_pci_cap64, offset_hi));
		put_unaligned_le32(upper_32_bits(length),
				   c + offsetof(struct virtio_pci_cap64, length_hi));
	}
}

/* The layout QEMU 7.2 gives a modern device: all in BAR 4, 4 KiB each. */
static void cfgb_qemu(struct cfgb *b)
{
	cfgb_init(b);
	cfgb_link(b, 0x40, PCI_CAP_ID_MSIX, 12);
	cfgb_cap(b, 0x50, 16, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x0000, 0x1000);
	cfgb_cap(b, 0x60, 16, VIRTIO_PCI_CAP_ISR_CFG, 4, 0, 0x1000, 0x1000);
	cfgb_cap(b, 0x70, 16, VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0, 0x2000, 0x1000);
	cfgb_cap(b, 0x80, 20, VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0, 0x3000, 0x1000);
	put_unaligned_le32(4, b->cfg + 0x80 +
			   offsetof(struct virtio_pci_notify_cap,
				    notify_off_multiplier));
	cfgb_cap(b, 0x94, 20, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0, 0);
}

static int parse(struct kunit *test, struct cfgb *b, struct vp_caps *caps)
{
	return vp_parse_caps(NULL, b->cfg, b->bar_len, caps);
}

static void caps_qemu_layout(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_EXPECT_EQ(test, caps.common.pos, 0x50);
	KUNIT_EXPECT_EQ(test, caps.isr.pos, 0x60);
	KUNIT_EXPECT_EQ(test, caps.device.pos, 0x70);
	KUNIT_EXPECT_EQ(test, caps.device.offset, 0x2000);
	KUNIT_EXPECT_EQ(test, caps.notify.pos, 0x80);
	KUNIT_EXPECT_EQ(test, caps.notify.bar, 4);
	KUNIT_EXPECT_EQ(test, caps.notify_off_multiplier, 4);
	KUNIT_EXPECT_EQ(test, caps.pci_cfg.pos, 0x94);
	KUNIT_EXPECT_EQ(test, caps.nshm, 0);
	KUNIT_EXPECT_EQ(test, caps.rejected, 0);
}

/* A bad capability: rejected, and the structure's later good one used. */
struct bad_case {
	const char *name;
	u8 len;
	u8 bar;
	u64 offset;
	u64 length;
	u64 bar_len;
};

static const struct bad_case bad_cases[] = {
	{ "short cap_len", 12, 2, 0, 0x100, 0x1000 },
	{ "reserved BAR", 16, 6, 0, 0x100, 0x1000 },
	{ "absent BAR", 16, 2, 0, 0x100, 0 },
	{ "past the BAR end", 16, 2, 0xf80, 0x100, 0x1000 },
	{ "offset beyond the BAR", 16, 2, 0x2000, 0x10, 0x1000 },
	{ "offset + length wraps", 16, 2, 0xfffffff0, 0x20, 0x1000 },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

static void caps_bad_common_rejected(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	/* The bad common first in the list, then the good layout's. */
	cfgb_cap(b, 0xb0, c->len, VIRTIO_PCI_CAP_COMMON_CFG, c->bar, 0,
		 c->offset, c->length);
	b->cfg[0x94 + PCI_CAP_LIST_NEXT] = 0;
	b->cfg[0xb0 + PCI_CAP_LIST_NEXT] = 0x40;
	b->cfg[PCI_CAPABILITY_LIST] = 0xb0;
	b->bar_len[2] = c->bar_len;
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_EXPECT_EQ(test, caps.common.pos, 0x50);
	KUNIT_EXPECT_EQ(test, caps.rejected, 1);

	/* Alone, the bad one leaves the device without a common structure. */
	cfgb_init(b);
	b->bar_len[2] = c->bar_len;
	cfgb_cap(b, 0x40, c->len, VIRTIO_PCI_CAP_COMMON_CFG, c->bar, 0,
		 c->offset, c->length);
	cfgb_cap(b, 0x60, 16, VIRTIO_PCI_CAP_ISR_CFG, 4, 0, 0x1000, 0x1000);
	cfgb_cap(b, 0x80, 20, VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0, 0x3000, 0x1000);
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), -ENODEV);
	KUNIT_EXPECT_EQ(test, caps.common.pos, 0);
	KUNIT_EXPECT_EQ(test, caps.rejected, 1);
}

static void caps_notify_needs_multiplier(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	b->cfg[0x80 + 2] = 16;	/* no room for notify_off_multiplier */
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), -ENODEV);
	KUNIT_EXPECT_EQ(test, caps.notify.pos, 0);
	KUNIT_EXPECT_EQ(test, caps.rejected, 1);
}

static void caps_truncated_by_config_space(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	/* A vendor capability whose 16 bytes would run past 0xff. */
	cfgb_link(b, 0xf8, PCI_CAP_ID_VNDR, 16);
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_EXPECT_EQ(test, caps.rejected, 1);
	/* One that fits its header but whose cap_len runs past the end. */
	cfgb_qemu(b);
	cfgb_cap(b, 0xe0, 16, VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, 4, 0, 0, 0x10);
	b->cfg[0xe0 + 2] = 0x40;
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_EXPECT_EQ(test, caps.nshm, 0);
	KUNIT_EXPECT_EQ(test, caps.rejected, 1);
}

static void caps_overlap_refused(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	/* The device structure moved onto the second half of the common. */
	put_unaligned_le32(0x800, b->cfg + 0x70 +
			   offsetof(struct virtio_pci_cap, offset));
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), -EINVAL);
	/* Adjacent is fine. */
	put_unaligned_le32(0x2000, b->cfg + 0x70 +
			   offsetof(struct virtio_pci_cap, offset));
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
}

static void caps_shm_regions(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	b->bar_len[2] = 8ULL << 30;
	cfgb_cap(b, 0xa8, 24, VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, 2, 1,
		 1ULL << 32, 1ULL << 30);
	cfgb_cap(b, 0xc0, 24, VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, 2, 0, 0,
		 1ULL << 32);
	cfgb_cap(b, 0xd8, 24, VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, 2, 1, 0, 1);
	cfgb_cap(b, 0xf0, 16, VIRTIO_PCI_CAP_SHARED_MEMORY_CFG, 2, 3, 0, 1);
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_ASSERT_EQ(test, caps.nshm, 2);
	KUNIT_EXPECT_EQ(test, caps.shm[0].id, 1);
	KUNIT_EXPECT_EQ(test, caps.shm[0].offset, 1ULL << 32);
	KUNIT_EXPECT_EQ(test, caps.shm[0].length, 1ULL << 30);
	KUNIT_EXPECT_EQ(test, caps.shm[1].id, 0);
	KUNIT_EXPECT_EQ(test, caps.shm[1].length, 1ULL << 32);
	/* A repeated id and a 16-byte (not cap64) one are rejected. */
	KUNIT_EXPECT_EQ(test, caps.rejected, 2);
}

static void caps_list_loop_ends(struct kunit *test)
{
	struct cfgb *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct vp_caps caps;

	KUNIT_ASSERT_NOT_NULL(test, b);
	cfgb_qemu(b);
	b->cfg[0x94 + PCI_CAP_LIST_NEXT] = 0x50;	/* back to the common */
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), 0);
	KUNIT_EXPECT_EQ(test, caps.common.pos, 0x50);
	/* Without the capability-list status bit there is no list. */
	put_unaligned_le16(0, b->cfg + PCI_STATUS);
	KUNIT_EXPECT_EQ(test, parse(test, b, &caps), -ENODEV);
}

static struct kunit_case va_pci_caps_cases[] = {
	KUNIT_CASE(caps_qemu_layout),
	KUNIT_CASE_PARAM(caps_bad_common_rejected, bad_gen_params),
	KUNIT_CASE(caps_notify_needs_multiplier),
	KUNIT_CASE(caps_truncated_by_config_space),
	KUNIT_CASE(caps_overlap_refused),
	KUNIT_CASE(caps_shm_regions),
	KUNIT_CASE(caps_list_loop_ends),
	{}
};

static struct kunit_suite va_pci_caps_suite = {
	.name = "virtio_alt_pci_caps",
	.test_cases = va_pci_caps_cases,
};

kunit_test_suites(&va_pci_caps_suite);
