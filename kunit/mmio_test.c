// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for transport_mmio.c (virtio 1.3, 4.2 "Virtio Over MMIO"):
 *
 * virtio_alt_mmio_cmdline: the devices= parser, va_mmio_parse_devices(),
 * against a table of good values (every parsed field checked) and a table
 * of bad ones, each refused with its own error code and message, the
 * refused entry located, and nothing of the value kept.
 *
 * virtio_alt_mmio_layout: the version 1 (legacy, 4.2.4) queue layout for
 * every QueueAlign power of two from 4 to 65536 and every split queue size:
 * vra_split_layout() and the seed 004 offset of
 * va_mmio_used_off_without_event() against the formulas of 2.7.2 written
 * out here.
 *
 * virtio_alt_mmio_regs: register sequences of the transport against a
 * register window in software (struct va_mmio_regs, va_mmio_fake_create()):
 * reset (4.2.2 Status, 2.4.2), feature negotiation (DeviceFeaturesSel,
 * DriverFeaturesSel; FEATURES_OK refused, 3.1.1), version 2 queue setup
 * (4.2.3.2), version 1 queue setup (4.2.4), and the reset of one queue
 * (VIRTIO_F_RING_RESET, 2.6.1, QueueReset 4.2.2): accepted only with the
 * mmio_ring_reset parameter on version 2, the exact register sequence and
 * a working queue after it, a device that never finishes (bounded, the
 * queue broken) and one without the register (QEMU 7.2).
 */
#include <kunit/device.h>
#include <kunit/test-bug.h>
#include <kunit/test.h>
#include <linux/align.h>
#include <linux/ctype.h>
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <uapi/linux/virtio_mmio.h>

#include "../compat.h"
#include "../transport.h"
#include "../transport_mmio.h"
#include "../virtio_ring_alt.h"

/* ---- virtio_alt_mmio_cmdline ---- */

#define CL_MAX_DEVS	3

struct cl_good {
	const char *val;
	unsigned int n;
	struct va_mmio_cmdline_dev d[CL_MAX_DEVS];
};

#define CL_DEV(_size, _base, _irq, _id) \
	{ .size = (_size), .base = (_base), .irq = (_irq), .id = (_id) }

static const struct cl_good cl_goods[] = {
	{ "0x200@0xfeb00000:5", 1, { CL_DEV(0x200, 0xfeb00000, 5, -1) } },
	{ "4K@0xd0000000:10:3", 1, { CL_DEV(4096, 0xd0000000, 10, 3) } },
	{ "1M@0x100000000:33:0", 1, { CL_DEV(1 << 20, 0x100000000ULL, 33, 0) } },
	{ "1G@0x0:1", 1, { CL_DEV(1 << 30, 0, 1, -1) } },
	{ "512@4096:7", 1, { CL_DEV(512, 4096, 7, -1) } },
	{ "0x100@010:0x1f:017", 1, { CL_DEV(0x100, 8, 31, 15) } },
	{ "0x100@0xffffffffffffff00:1", 1,
	  { CL_DEV(0x100, 0xffffffffffffff00ULL, 1, -1) } },
	{ "  0x200@0x1000:5\t\n", 1, { CL_DEV(0x200, 0x1000, 5, -1) } },
	{ "0x200@0x1000:5,0x200@0x1200:6:2", 2,
	  { CL_DEV(0x200, 0x1000, 5, -1), CL_DEV(0x200, 0x1200, 6, 2) } },
	{ "0x200@0x3000:5,0x200@0x1000:5,0x1000@0x2000:9:1", 3,
	  { CL_DEV(0x200, 0x3000, 5, -1), CL_DEV(0x200, 0x1000, 5, -1),
	    CL_DEV(0x1000, 0x2000, 9, 1) } },
	{ "", 0, { } },
	{ " \t ", 0, { } },
};

/* The value quoted, white space shown as '_' to keep KTAP on one line. */
static void cl_desc(const char *val, char *desc)
{
	unsigned int i;

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", val);
	for (i = 0; desc[i]; i++)
		if (!isgraph(desc[i]))
			desc[i] = '_';
}

static void cl_good_desc(const struct cl_good *p, char *desc)
{
	cl_desc(p->val, desc);
}

KUNIT_ARRAY_PARAM(cl_good, cl_goods, cl_good_desc);

/* Every good value parses into exactly the entries it says. */
static void cmdline_good(struct kunit *test)
{
	const struct cl_good *p = test->param_value;
	struct va_mmio_cmdline_dev devs[CL_MAX_DEVS + 1];
	struct va_mmio_cmdline_bad bad = { .err = VA_MMIO_CMDLINE_NR };
	unsigned int n = 0, i;

	memset(devs, 0xa5, sizeof(devs));
	KUNIT_ASSERT_EQ(test, va_mmio_parse_devices(p->val, devs, CL_MAX_DEVS,
						    &n, &bad), 0);
	KUNIT_ASSERT_EQ(test, n, p->n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, devs[i].size, p->d[i].size,
				    "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, devs[i].base, p->d[i].base,
				    "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, devs[i].irq, p->d[i].irq,
				    "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, devs[i].id, p->d[i].id,
				    "entry %u", i);
	}
	/* Nothing written past the entries, @bad untouched. */
	KUNIT_EXPECT_EQ(test, devs[n].size, 0xa5a5a5a5a5a5a5a5ULL);
	KUNIT_EXPECT_EQ(test, bad.err, VA_MMIO_CMDLINE_NR);
}

struct cl_bad {
	const char *val;
	enum va_mmio_cmdline_err err;
	const char *what;	/* the message, as the load error prints it */
	const char *entry;	/* the refused entry, as printed */
	unsigned int off;	/* where it is in @val */
};

/*
 * The TOO_MANY entry is tested with a limit of CL_MAX_DEVS; its message
 * names the module's limit, VA_MMIO_DEVICES_MAX (cmdline_max_devices).
 */
static const struct cl_bad cl_bads[] = {
	{ "0x200@0x1000:5,", VA_MMIO_CMDLINE_EMPTY, "entry (empty)", "", 15 },
	{ ",0x200@0x1000:5", VA_MMIO_CMDLINE_EMPTY, "entry (empty)", "" },
	{ "0x200@0x1000:5,,0x200@0x2000:6", VA_MMIO_CMDLINE_EMPTY,
	  "entry (empty)", "", 15 },
	{ "@0x1000:5", VA_MMIO_CMDLINE_SIZE,
	  "<size> (a number with an optional K, M or G suffix, then '@')",
	  "@0x1000:5" },
	{ "0x200:0x1000:5", VA_MMIO_CMDLINE_SIZE,
	  "<size> (a number with an optional K, M or G suffix, then '@')",
	  "0x200:0x1000:5" },
	{ "4X@0x1000:5", VA_MMIO_CMDLINE_SIZE,
	  "<size> (a number with an optional K, M or G suffix, then '@')",
	  "4X@0x1000:5" },
	{ "0xff@0x1000:5", VA_MMIO_CMDLINE_SIZE_SMALL,
	  "<size> (at least 0x100, the registers)", "0xff@0x1000:5" },
	{ "0@0x1000:5", VA_MMIO_CMDLINE_SIZE_SMALL,
	  "<size> (at least 0x100, the registers)", "0@0x1000:5" },
	{ "0x200@zz:5", VA_MMIO_CMDLINE_BASE, "<baseaddr> (a number)",
	  "0x200@zz:5" },
	{ "0x200@:5", VA_MMIO_CMDLINE_BASE, "<baseaddr> (a number)",
	  "0x200@:5" },
	{ "0x200@0x10000000000000000:5", VA_MMIO_CMDLINE_BASE,
	  "<baseaddr> (a number)", "0x200@0x10000000000000000:5" },
	{ "0x200@0xffffffffffffff00:5", VA_MMIO_CMDLINE_WRAP,
	  "<size>@<baseaddr> (the window wraps around)",
	  "0x200@0xffffffffffffff00:5" },
	{ "0x200@0x1000", VA_MMIO_CMDLINE_IRQ_MISSING, "<irq> (missing)",
	  "0x200@0x1000" },
	{ "0x200@0x1000:", VA_MMIO_CMDLINE_IRQ,
	  "<irq> (a number other than 0)", "0x200@0x1000:" },
	{ "0x200@0x1000:0", VA_MMIO_CMDLINE_IRQ,
	  "<irq> (a number other than 0)", "0x200@0x1000:0" },
	{ "0x200@0x1000:-5", VA_MMIO_CMDLINE_IRQ,
	  "<irq> (a number other than 0)", "0x200@0x1000:-5" },
	{ "0x200@0x1000:5:-1", VA_MMIO_CMDLINE_ID, "<id> (a number from 0 up)",
	  "0x200@0x1000:5:-1" },
	{ "0x200@0x1000:5:a", VA_MMIO_CMDLINE_ID, "<id> (a number from 0 up)",
	  "0x200@0x1000:5:a" },
	{ "0x200@0x1000:5:", VA_MMIO_CMDLINE_ID, "<id> (a number from 0 up)",
	  "0x200@0x1000:5:" },
	{ "0x200@0x1000:5:1:2", VA_MMIO_CMDLINE_ID,
	  "<id> (a number from 0 up)", "0x200@0x1000:5:1:2" },
	{ "0x200@0x1000:5,0x200@0x2000:6,0x200@0x3000:7,0x200@0x4000:8",
	  VA_MMIO_CMDLINE_TOO_MANY, "entry (more than 32 devices)",
	  "0x200@0x4000:8", 45 },
	{ "0x200@0x1000:5,0x200@0x11ff:6", VA_MMIO_CMDLINE_OVERLAP,
	  "<size>@<baseaddr> (overlaps an earlier entry)", "0x200@0x11ff:6", 15 },
	{ "0x1000@0x1000:5,0x100@0x1800:6", VA_MMIO_CMDLINE_OVERLAP,
	  "<size>@<baseaddr> (overlaps an earlier entry)", "0x100@0x1800:6", 16 },
	{ "0x200@0x2000:5,0x2000@0x1000:6", VA_MMIO_CMDLINE_OVERLAP,
	  "<size>@<baseaddr> (overlaps an earlier entry)", "0x2000@0x1000:6", 15 },
};

static void cl_bad_desc(const struct cl_bad *p, char *desc)
{
	cl_desc(p->val, desc);
}

KUNIT_ARRAY_PARAM(cl_bad, cl_bads, cl_bad_desc);

/*
 * Every bad value is refused with its error, named by its message, the
 * refused entry located in the value, and no entry of it kept.
 */
static void cmdline_bad(struct kunit *test)
{
	const struct cl_bad *p = test->param_value;
	struct va_mmio_cmdline_dev devs[CL_MAX_DEVS];
	struct va_mmio_cmdline_bad bad = { .err = VA_MMIO_CMDLINE_OK };
	unsigned int n = 0;

	KUNIT_ASSERT_EQ(test, va_mmio_parse_devices(p->val, devs, CL_MAX_DEVS,
						    &n, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, bad.err, p->err);
	KUNIT_EXPECT_STREQ(test, va_mmio_cmdline_what(bad.err), p->what);
	KUNIT_EXPECT_EQ(test, bad.off, p->off);
	KUNIT_ASSERT_LE(test, bad.off + bad.len, strlen(p->val));
	KUNIT_EXPECT_EQ(test, bad.len, strlen(p->entry));
	KUNIT_EXPECT_EQ(test, strncmp(p->val + bad.off, p->entry, bad.len), 0);
}

/* Each error has a message of its own, and the bad table has each error. */
static void cmdline_errors_distinct(struct kunit *test)
{
	unsigned int i, j;
	bool seen;

	for (i = 0; i < VA_MMIO_CMDLINE_NR; i++) {
		const char *what = va_mmio_cmdline_what(i);

		KUNIT_ASSERT_NOT_NULL(test, what);
		KUNIT_EXPECT_STRNEQ(test, what, "unknown error");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ_MSG(test, what,
						va_mmio_cmdline_what(j),
						"errors %u and %u", i, j);
		if (i == VA_MMIO_CMDLINE_OK)
			continue;
		seen = false;
		for (j = 0; j < ARRAY_SIZE(cl_bads); j++)
			seen |= cl_bads[j].err == i;
		KUNIT_EXPECT_TRUE_MSG(test, seen, "error %u (%s) not tested",
				      i, what);
	}
	KUNIT_EXPECT_STREQ(test, va_mmio_cmdline_what(VA_MMIO_CMDLINE_NR),
			   "unknown error");
}

/* The module's own limit: VA_MMIO_DEVICES_MAX entries, not one more. */
static void cmdline_max_devices(struct kunit *test)
{
	const unsigned int max = VA_MMIO_DEVICES_MAX;
	struct va_mmio_cmdline_dev *devs;
	struct va_mmio_cmdline_bad bad = { .err = VA_MMIO_CMDLINE_OK };
	size_t size = (max + 1) * 32;
	unsigned int n = 0, i;
	char *val;
	int len = 0;

	KUNIT_EXPECT_EQ(test, max, 32);
	devs = kunit_kcalloc(test, max, sizeof(*devs), GFP_KERNEL);
	val = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, devs);
	KUNIT_ASSERT_NOT_NULL(test, val);
	for (i = 0; i < max; i++)
		len += scnprintf(val + len, size - len, "%s0x200@0x%x:%u",
				 i ? "," : "", 0x10000 + i * 0x200, i + 1);
	KUNIT_ASSERT_EQ(test, va_mmio_parse_devices(val, devs, max, &n, &bad),
			0);
	KUNIT_ASSERT_EQ(test, n, max);
	KUNIT_EXPECT_EQ(test, devs[max - 1].base, 0x10000 + (max - 1) * 0x200);
	KUNIT_EXPECT_EQ(test, devs[max - 1].irq, max);

	/* One more, in a later value: refused, the first max kept. */
	KUNIT_EXPECT_EQ(test, va_mmio_parse_devices("0x200@0x100000:9", devs,
						    max, &n, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad.err, VA_MMIO_CMDLINE_TOO_MANY);
	KUNIT_EXPECT_EQ(test, n, max);
}

/*
 * A later value (the parameter given twice) is checked against the entries
 * already there and, if bad, changes nothing.
 */
static void cmdline_second_value(struct kunit *test)
{
	struct va_mmio_cmdline_dev devs[CL_MAX_DEVS];
	struct va_mmio_cmdline_bad bad = { .err = VA_MMIO_CMDLINE_OK };
	unsigned int n = 0;

	KUNIT_ASSERT_EQ(test, va_mmio_parse_devices("0x200@0x1000:5", devs,
						    CL_MAX_DEVS, &n, &bad), 0);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, va_mmio_parse_devices("0x200@0x3000:6,0x100@0x1100:7",
						    devs, CL_MAX_DEVS, &n,
						    &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, bad.err, VA_MMIO_CMDLINE_OVERLAP);
	KUNIT_EXPECT_EQ(test, bad.off, 15);
	KUNIT_EXPECT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, va_mmio_parse_devices("0x200@0x1200:6:4", devs,
						    CL_MAX_DEVS, &n, &bad), 0);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, devs[0].base, 0x1000);
	KUNIT_EXPECT_EQ(test, devs[1].base, 0x1200);
	KUNIT_EXPECT_EQ(test, devs[1].id, 4);
}

static struct kunit_case va_mmio_cmdline_cases[] = {
	KUNIT_CASE_PARAM(cmdline_good, cl_good_gen_params),
	KUNIT_CASE_PARAM(cmdline_bad, cl_bad_gen_params),
	KUNIT_CASE(cmdline_errors_distinct),
	KUNIT_CASE(cmdline_max_devices),
	KUNIT_CASE(cmdline_second_value),
	{}
};

static struct kunit_suite va_mmio_cmdline_suite = {
	.name = "virtio_alt_mmio_cmdline",
	.test_cases = va_mmio_cmdline_cases,
};

/* ---- virtio_alt_mmio_layout ---- */

/*
 * Virtio 1.3, 2.7.2 (legacy interfaces): the descriptor table of 16-byte
 * descriptors, the available ring (flags, idx, ring[num], used_event: 2 *
 * (3 + num) bytes), then at the next multiple of QueueAlign the used ring
 * (flags, idx, ring[num] of 8 bytes, avail_event).
 */
static size_t spec_used_off(size_t num, size_t align)
{
	return ALIGN(16 * num + 2 * (3 + num), align);
}

static size_t spec_size(size_t num, size_t align)
{
	return spec_used_off(num, align) + 2 * 3 + 8 * num;
}

/* Seed 004: the offset of a device that leaves used_event out. */
static size_t spec_used_off_seed004(size_t num, size_t align)
{
	return ALIGN(16 * num + 2 * (2 + num), align);
}

static const unsigned int lay_aligns[] = {
	4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
	32768, 65536,
};

static void lay_align_desc(const unsigned int *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "align %u", *p);
}

KUNIT_ARRAY_PARAM(lay_align, lay_aligns, lay_align_desc);

/* Every split queue size, 1 to 32768, at this alignment. */
static void layout_legacy_used_offset(struct kunit *test)
{
	unsigned int align = *(const unsigned int *)test->param_value;
	struct vra_split_layout l;
	unsigned int num;

	for (num = 1; num <= 32768; num <<= 1) {
		memset(&l, 0xa5, sizeof(l));
		KUNIT_ASSERT_EQ(test, vra_split_layout(num, align, &l), 0);
		KUNIT_EXPECT_EQ_MSG(test, l.desc, 0, "num %u", num);
		KUNIT_EXPECT_EQ_MSG(test, l.avail, 16 * num, "num %u", num);
		KUNIT_EXPECT_EQ_MSG(test, l.used, spec_used_off(num, align),
				    "num %u", num);
		KUNIT_EXPECT_EQ_MSG(test, l.size, spec_size(num, align),
				    "num %u", num);
		/* The used ring is aligned and after the used_event word. */
		KUNIT_EXPECT_EQ_MSG(test, l.used % align, 0, "num %u", num);
		KUNIT_EXPECT_GE_MSG(test, l.used, l.avail + 2 * (3 + num),
				    "num %u", num);
		KUNIT_EXPECT_LT_MSG(test, l.used, l.avail + 2 * (3 + num) + align,
				    "num %u", num);
		KUNIT_EXPECT_EQ_MSG(test, va_mmio_used_off_without_event(num, align),
				    spec_used_off_seed004(num, align),
				    "num %u", num);
	}
}

/*
 * Where the seed 004 warning fires: the two offsets differ when a multiple
 * of QueueAlign lies at 18 * num + 4 or + 5, which for power-of-two sizes
 * is QueueAlign 4 with an even size, and QueueAlign 8 with size 2; from 16
 * up, never.
 */
static void layout_seed004_warning(struct kunit *test)
{
	unsigned int align = *(const unsigned int *)test->param_value;
	struct vra_split_layout l;
	unsigned int num;
	bool expect;

	for (num = 1; num <= 32768; num <<= 1) {
		KUNIT_ASSERT_EQ(test, vra_split_layout(num, align, &l), 0);
		expect = (align == 4 && num % 2 == 0) ||
			 (align == 8 && num == 2);
		KUNIT_EXPECT_EQ_MSG(test,
				    va_mmio_used_off_without_event(num, align) !=
				    l.used, expect, "num %u", num);
	}
}

/* Worked by hand from 2.7.2: the numbers the README and logs quote. */
static void layout_known_values(struct kunit *test)
{
	struct vra_split_layout l;

	/* 256: 4096 + 2 * 259 = 4614 bytes before the used ring. */
	KUNIT_ASSERT_EQ(test, vra_split_layout(256, 4096, &l), 0);
	KUNIT_EXPECT_EQ(test, l.avail, 4096);
	KUNIT_EXPECT_EQ(test, l.used, 8192);
	KUNIT_EXPECT_EQ(test, l.size, 8192 + 6 + 2048);
	KUNIT_EXPECT_EQ(test, va_mmio_used_off_without_event(256, 4096), 8192);
	KUNIT_ASSERT_EQ(test, vra_split_layout(256, 4, &l), 0);
	KUNIT_EXPECT_EQ(test, l.used, 4616);
	KUNIT_EXPECT_EQ(test, va_mmio_used_off_without_event(256, 4), 4612);
	KUNIT_ASSERT_EQ(test, vra_split_layout(256, 64, &l), 0);
	KUNIT_EXPECT_EQ(test, l.used, 4672);
	KUNIT_EXPECT_EQ(test, va_mmio_used_off_without_event(256, 64), 4672);
	KUNIT_ASSERT_EQ(test, vra_split_layout(2, 8, &l), 0);
	KUNIT_EXPECT_EQ(test, l.used, 48);
	KUNIT_EXPECT_EQ(test, va_mmio_used_off_without_event(2, 8), 40);
	KUNIT_ASSERT_EQ(test, vra_split_layout(1, 4, &l), 0);
	KUNIT_EXPECT_EQ(test, l.used, 24);
	KUNIT_EXPECT_EQ(test, va_mmio_used_off_without_event(1, 4), 24);
}

/* Sizes and alignments that are not powers of two, or out of range. */
static void layout_refused(struct kunit *test)
{
	static const unsigned int nums[] = { 0, 3, 6, 100, 65536 };
	static const unsigned int aligns[] = { 0, 3, 6, 100, 4097 };
	struct vra_split_layout l;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nums); i++)
		KUNIT_EXPECT_EQ_MSG(test, vra_split_layout(nums[i], 4096, &l),
				    -EINVAL, "num %u", nums[i]);
	for (i = 0; i < ARRAY_SIZE(aligns); i++)
		KUNIT_EXPECT_EQ_MSG(test, vra_split_layout(256, aligns[i], &l),
				    -EINVAL, "align %u", aligns[i]);
}

static struct kunit_case va_mmio_layout_cases[] = {
	KUNIT_CASE_PARAM(layout_legacy_used_offset, lay_align_gen_params),
	KUNIT_CASE_PARAM(layout_seed004_warning, lay_align_gen_params),
	KUNIT_CASE(layout_known_values),
	KUNIT_CASE(layout_refused),
	{}
};

static struct kunit_suite va_mmio_layout_suite = {
	.name = "virtio_alt_mmio_layout",
	.test_cases = va_mmio_layout_cases,
};

/* ---- virtio_alt_mmio_regs ---- */

#define FR_TRACE	64
#define FR_STATUS_BUSY	0x0f	/* what Status reads while a reset runs */

struct fr_op {
	bool write;
	unsigned int off;
	u32 val;
};

/* The device: a register file, a trace of every access, a few behaviours. */
struct fake_regs {
	struct va_mmio_regs regs;
	u32 r[VIRTIO_MMIO_CONFIG / 4];
	u64 dev_features;
	unsigned int reset_reads;	/* Status reads still nonzero */
	bool refuse_features_ok;
	unsigned int qreset_reads;	/* QueueReset reads still 1 after a 1 */
	bool qreset_absent;		/* QEMU 7.2: no QueueReset register */
	unsigned int n;			/* accesses, traced or not */
	struct fr_op op[FR_TRACE];
};

static void fr_trace(struct fake_regs *f, bool write, unsigned int off,
		     u32 val)
{
	if (f->n < FR_TRACE)
		f->op[f->n] = (struct fr_op){ write, off, val };
	f->n++;
}

static u32 fr_read(struct va_mmio_regs *regs, unsigned int off)
{
	struct fake_regs *f = container_of(regs, struct fake_regs, regs);
	u32 sel = f->r[VIRTIO_MMIO_DEVICE_FEATURES_SEL / 4], val;

	if (off == VIRTIO_MMIO_DEVICE_FEATURES) {
		val = sel < 2 ? (u32)(f->dev_features >> (32 * sel)) : 0;
	} else if (off == VIRTIO_MMIO_STATUS && f->reset_reads) {
		f->reset_reads--;
		val = FR_STATUS_BUSY;
	} else if (off == VIRTIO_MMIO_QUEUE_RESET && f->r[off / 4]) {
		/* 4.2.2: the reset done, QueueReset and QueueReady read 0. */
		if (f->qreset_reads) {
			f->qreset_reads--;
		} else {
			f->r[VIRTIO_MMIO_QUEUE_RESET / 4] = 0;
			f->r[VIRTIO_MMIO_QUEUE_READY / 4] = 0;
		}
		val = f->r[off / 4];
	} else {
		val = f->r[off / 4];
	}
	fr_trace(f, false, off, val);
	return val;
}

static void fr_write(struct va_mmio_regs *regs, unsigned int off, u32 val)
{
	struct fake_regs *f = container_of(regs, struct fake_regs, regs);

	fr_trace(f, true, off, val);
	if (off == VIRTIO_MMIO_QUEUE_RESET && f->qreset_absent)
		return;
	if (off == VIRTIO_MMIO_STATUS && f->refuse_features_ok)
		val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	f->r[off / 4] = val;
}

struct fr_env {
	struct fake_regs f;
	struct virtio_device *vdev;
};

static void fr_free(void *vdev)
{
	va_mmio_fake_destroy(vdev);
}

static struct fr_env *fr_create(struct kunit *test, u32 version, u32 align)
{
	struct fr_env *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->f.regs.read = fr_read;
	e->f.regs.write = fr_write;
	e->vdev = va_mmio_fake_create(&e->f.regs, version, align);
	KUNIT_ASSERT_NOT_NULL(test, e->vdev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fr_free, e->vdev),
			0);
	return e;
}

/* The trace is exactly @want. */
static void fr_expect(struct kunit *test, const struct fake_regs *f,
		      const struct fr_op *want, unsigned int n)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, f->n, n);
	for (i = 0; i < min(n, min(f->n, FR_TRACE)); i++) {
		KUNIT_EXPECT_EQ_MSG(test, f->op[i].write, want[i].write,
				    "access %u", i);
		KUNIT_EXPECT_EQ_MSG(test, f->op[i].off, want[i].off,
				    "access %u", i);
		KUNIT_EXPECT_EQ_MSG(test, f->op[i].val, want[i].val,
				    "access %u", i);
	}
}

#define W(_reg, _val)	{ true, VIRTIO_MMIO_##_reg, (_val) }
#define R(_reg, _val)	{ false, VIRTIO_MMIO_##_reg, (_val) }

/* 4.2.2 Status: write 0, then read until the device shows 0 (2.4.2). */
static void regs_reset_waits(struct kunit *test)
{
	static const struct fr_op want[] = {
		W(STATUS, 0), R(STATUS, FR_STATUS_BUSY),
		R(STATUS, FR_STATUS_BUSY), R(STATUS, FR_STATUS_BUSY),
		R(STATUS, 0),
	};
	struct fr_env *e = fr_create(test, 2, 0);

	e->f.reset_reads = 3;
	e->vdev->config->reset(e->vdev);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
}

/* A device that never completes the reset: bounded, about 5 s, no hang. */
static void regs_reset_bounded(struct kunit *test)
{
	struct fr_env *e = fr_create(test, 2, 0);
	ktime_t t0 = ktime_get();
	s64 ms;

	e->f.reset_reads = UINT_MAX;
	e->vdev->config->reset(e->vdev);
	ms = ktime_ms_delta(ktime_get(), t0);
	/* The transport counts jiffies: allow two ticks of rounding. */
	KUNIT_EXPECT_GE(test, ms, 5000 - 2 * (s64)jiffies_to_msecs(1));
	KUNIT_EXPECT_LT(test, ms, 10000);
	KUNIT_EXPECT_TRUE(test, e->f.op[0].write);
	KUNIT_EXPECT_EQ(test, e->f.op[0].off, VIRTIO_MMIO_STATUS);
	KUNIT_EXPECT_EQ(test, e->f.op[0].val, 0);
	/* Then only reads of Status; not one more write. */
	KUNIT_EXPECT_GT(test, e->f.n, 2);
	KUNIT_EXPECT_EQ(test, e->f.r[VIRTIO_MMIO_STATUS / 4], 0);
	KUNIT_EXPECT_EQ(test, e->f.n - 1, UINT_MAX - e->f.reset_reads);
}

#define FR_DEV_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(0) | BIT_ULL(5))

/* 4.2.2: 64 feature bits through the DeviceFeaturesSel window. */
static void regs_features_read(struct kunit *test)
{
	static const struct fr_op want[] = {
		W(DEVICE_FEATURES_SEL, 0), R(DEVICE_FEATURES, 0x21),
		W(DEVICE_FEATURES_SEL, 1), R(DEVICE_FEATURES, 0x1),
	};
	struct fr_env *e = fr_create(test, 2, 0);

	e->f.dev_features = FR_DEV_FEATURES;
	KUNIT_EXPECT_EQ(test, e->vdev->config->get_features(e->vdev),
			FR_DEV_FEATURES);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
}

/* 4.2.2: the accepted features through the DriverFeaturesSel window. */
static void regs_features_write(struct kunit *test)
{
	static const struct fr_op want[] = {
		W(DRIVER_FEATURES_SEL, 0), W(DRIVER_FEATURES, 0x1),
		W(DRIVER_FEATURES_SEL, 1), W(DRIVER_FEATURES, 0x1),
	};
	struct fr_env *e = fr_create(test, 2, 0);

	/* What the core does: the driver's subset of the device's. */
	e->vdev->features = BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(0);
	KUNIT_EXPECT_EQ(test, e->vdev->config->finalize_features(e->vdev), 0);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
}

/* 4.2.2: version 2 without VIRTIO_F_VERSION_1 is refused, nothing written. */
static void regs_features_no_version_1(struct kunit *test)
{
	struct fr_env *e = fr_create(test, 2, 0);

	e->vdev->features = BIT_ULL(0);
	KUNIT_EXPECT_EQ(test, e->vdev->config->finalize_features(e->vdev),
			-EINVAL);
	fr_expect(test, &e->f, NULL, 0);
}

/*
 * 3.1.1 step 5-6: the driver sets FEATURES_OK and re-reads Status; a device
 * that does not take the features leaves the bit clear. The transport's
 * get_status must show the device's Status, not what was written, so the
 * core (virtio_features_ok()) fails the probe; then FAILED is written and
 * the device is reset. The same steps with a device that takes them.
 */
static void regs_features_ok_refused(struct kunit *test)
{
	const u8 s = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	const struct fr_op want[] = {
		W(STATUS, s | VIRTIO_CONFIG_S_FEATURES_OK), R(STATUS, s),
		R(STATUS, s), W(STATUS, s | VIRTIO_CONFIG_S_FAILED),
		W(STATUS, 0), R(STATUS, 0),
	};
	struct fr_env *e = fr_create(test, 2, 0);
	struct virtio_device *vdev = e->vdev;
	const struct virtio_config_ops *ops = vdev->config;
	u8 status;

	e->f.refuse_features_ok = true;
	ops->set_status(vdev, s | VIRTIO_CONFIG_S_FEATURES_OK);
	status = ops->get_status(vdev);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_FEATURES_OK);
	ops->set_status(vdev, ops->get_status(vdev) | VIRTIO_CONFIG_S_FAILED);
	ops->reset(vdev);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));

	e->f.refuse_features_ok = false;
	ops->set_status(vdev, s | VIRTIO_CONFIG_S_FEATURES_OK);
	KUNIT_EXPECT_TRUE(test, ops->get_status(vdev) &
			  VIRTIO_CONFIG_S_FEATURES_OK);
}

#define FR_DESC		0x123456000ULL
#define FR_DRIVER	0x123459000ULL
#define FR_DEVICE	0x12345a040ULL

/*
 * 4.2.3.2: QueueSel, QueueReady must read 0, QueueNumMax, then QueueNum,
 * QueueDesc, QueueDriver, QueueDevice (Low, High) and last QueueReady 1.
 * QueueNumMax 1000 gives 512, the largest power of two (split ring).
 */
static void regs_queue_v2(struct kunit *test)
{
	static const struct fr_op want[] = {
		W(QUEUE_SEL, 3), R(QUEUE_READY, 0), R(QUEUE_NUM_MAX, 1000),
		W(QUEUE_NUM, 512),
		W(QUEUE_DESC_LOW, 0x23456000), W(QUEUE_DESC_HIGH, 0x1),
		W(QUEUE_AVAIL_LOW, 0x23459000), W(QUEUE_AVAIL_HIGH, 0x1),
		W(QUEUE_USED_LOW, 0x2345a040), W(QUEUE_USED_HIGH, 0x1),
		W(QUEUE_READY, 1),
	};
	struct fr_env *e = fr_create(test, 2, 0);
	u32 num = 0;

	e->f.r[VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = 1000;
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 3, FR_DESC,
						       FR_DRIVER, FR_DEVICE,
						       &num), 0);
	KUNIT_EXPECT_EQ(test, num, 512);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
}

/* A queue in use (QueueReady 1) or absent (QueueNumMax 0): nothing set. */
static void regs_queue_v2_refused(struct kunit *test)
{
	static const struct fr_op busy[] = {
		W(QUEUE_SEL, 1), R(QUEUE_READY, 1),
	};
	static const struct fr_op absent[] = {
		W(QUEUE_SEL, 2), R(QUEUE_READY, 0), R(QUEUE_NUM_MAX, 0),
	};
	struct fr_env *e = fr_create(test, 2, 0);
	u32 num;

	e->f.r[VIRTIO_MMIO_QUEUE_READY / 4] = 1;
	e->f.r[VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = 256;
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 1, FR_DESC,
						       FR_DRIVER, FR_DEVICE,
						       &num), -ENOENT);
	fr_expect(test, &e->f, busy, ARRAY_SIZE(busy));

	e = fr_create(test, 2, 0);
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 2, FR_DESC,
						       FR_DRIVER, FR_DEVICE,
						       &num), -ENOENT);
	fr_expect(test, &e->f, absent, ARRAY_SIZE(absent));
}

/*
 * 4.2.4: QueueSel, QueuePFN must read 0, QueueNumMax, then QueueNum,
 * QueueAlign and QueuePFN (GuestPageSize is written at probe).
 */
static void regs_queue_v1(struct kunit *test)
{
	const u64 desc = 0x12345ULL << PAGE_SHIFT;
	const struct fr_op want[] = {
		W(QUEUE_SEL, 0), R(QUEUE_PFN, 0), R(QUEUE_NUM_MAX, 256),
		W(QUEUE_NUM, 256), W(QUEUE_ALIGN, 64), W(QUEUE_PFN, 0x12345),
	};
	struct fr_env *e = fr_create(test, 1, 64);
	u32 num = 0;

	e->f.r[VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = 256;
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 0, desc, 0,
						       desc + spec_used_off(256, 64),
						       &num), 0);
	KUNIT_EXPECT_EQ(test, num, 256);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
}

/* Version 1: a queue not on a page boundary, or in use: nothing set. */
static void regs_queue_v1_refused(struct kunit *test)
{
	const u64 desc = (0x12345ULL << PAGE_SHIFT) + 64;
	static const struct fr_op unaligned[] = {
		W(QUEUE_SEL, 0), R(QUEUE_PFN, 0), R(QUEUE_NUM_MAX, 256),
	};
	static const struct fr_op busy[] = {
		W(QUEUE_SEL, 1), R(QUEUE_PFN, 0x777),
	};
	struct fr_env *e = fr_create(test, 1, 4096);
	u32 num;

	e->f.r[VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = 256;
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 0, desc, 0,
						       desc + spec_used_off(256, 4096),
						       &num), -E2BIG);
	fr_expect(test, &e->f, unaligned, ARRAY_SIZE(unaligned));

	e = fr_create(test, 1, 4096);
	e->f.r[VIRTIO_MMIO_QUEUE_PFN / 4] = 0x777;
	KUNIT_EXPECT_EQ(test, va_mmio_fake_setup_queue(e->vdev, 1, desc, 0,
						       desc, &num), -ENOENT);
	fr_expect(test, &e->f, busy, ARRAY_SIZE(busy));
}

/* ---- virtio_alt_mmio_regs: one queue's reset (VIRTIO_F_RING_RESET) ---- */

#define FR_RR		BIT_ULL(VIRTIO_F_RING_RESET)
#define FR_RR_QUEUE	2	/* the queue reset in these cases */
#define FR_RR_NUM	8	/* its QueueNumMax, and so its size */
#define FR_RR_MS	20	/* the QueueReset bound of the timeout cases */

static void fr_ring_reset_restore(void *old)
{
	va_mmio_fake_ring_reset_param(!!old);
}

/*
 * Set mmio_ring_reset to @on for this test, the old value back after it.
 * Return: the old value.
 */
static bool fr_ring_reset_param(struct kunit *test, bool on)
{
	bool old = va_mmio_fake_ring_reset_param(on);

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							fr_ring_reset_restore,
							old ? (void *)1 : NULL),
			0);
	return old;
}

struct fr_rr_param {
	u32 version;
	bool param;
};

static const struct fr_rr_param fr_rr_params[] = {
	{ 2, false }, { 2, true }, { 1, false }, { 1, true },
};

static void fr_rr_desc(const struct fr_rr_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "version %u, mmio_ring_reset=%c",
		 p->version, p->param ? 'Y' : 'N');
}

KUNIT_ARRAY_PARAM(fr_rr, fr_rr_params, fr_rr_desc);

/*
 * The device offers VIRTIO_F_RING_RESET: finalize_features accepts it
 * (keeps the bit, writes it to DriverFeatures, bit 40: bit 8 of the high
 * word) only on version 2 with mmio_ring_reset=Y, whose default is N.
 */
static void regs_ring_reset_accepted(struct kunit *test)
{
	const struct fr_rr_param *p = test->param_value;
	const bool want = p->version == 2 && p->param;
	const u64 offered = BIT_ULL(VIRTIO_F_VERSION_1) | FR_RR;
	const struct fr_op writes[] = {
		W(DRIVER_FEATURES_SEL, 0), W(DRIVER_FEATURES, 0),
		W(DRIVER_FEATURES_SEL, 1),
		W(DRIVER_FEATURES, 0x1 | (want ? 0x100 : 0)),
	};
	struct fr_env *e = fr_create(test, p->version, 4096);

	/* Nothing before this test set the parameter: the module default. */
	KUNIT_EXPECT_FALSE_MSG(test, fr_ring_reset_param(test, p->param),
			       "mmio_ring_reset defaults to Y");
	e->vdev->features = offered;
	KUNIT_ASSERT_EQ(test, e->vdev->config->finalize_features(e->vdev), 0);
	KUNIT_EXPECT_EQ(test, virtio_has_feature(e->vdev, VIRTIO_F_RING_RESET),
			want);
	KUNIT_EXPECT_EQ(test, e->vdev->features, want ? offered : offered & ~FR_RR);
	fr_expect(test, &e->f, writes, ARRAY_SIZE(writes));
}

/* A recycled buffer: counted in the test's priv. */
static void fr_recycle(struct virtqueue *vq, void *buf)
{
	struct kunit *test = kunit_get_current_test();

	if (test)
		(*(unsigned int *)test->priv)++;
}

/*
 * A version 2 device with VIRTIO_F_RING_RESET accepted (mmio_ring_reset=Y)
 * and queue FR_RR_QUEUE of FR_RR_NUM entries on the alt ring; the trace
 * starts afresh after the setup. The DMA device is registered first, so it
 * outlives the queue (the test's cleanups run last first).
 */
static struct fr_env *fr_create_rr(struct kunit *test, struct virtqueue **vq)
{
	struct device *dma_dev;
	struct fr_env *e;

	dma_dev = kunit_device_register(test, "va-kunit-mmio-dma");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dma_dev));
	dma_dev->coherent_dma_mask = DMA_BIT_MASK(64);
	dma_dev->dma_mask = &dma_dev->coherent_dma_mask;
	test->priv = kunit_kzalloc(test, sizeof(unsigned int), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, test->priv);

	e = fr_create(test, 2, 0);
	fr_ring_reset_param(test, true);
	e->vdev->features = BIT_ULL(VIRTIO_F_VERSION_1) | FR_RR;
	KUNIT_ASSERT_EQ(test, e->vdev->config->finalize_features(e->vdev), 0);
	KUNIT_ASSERT_TRUE(test, virtio_has_feature(e->vdev,
						   VIRTIO_F_RING_RESET));
	e->f.r[VIRTIO_MMIO_QUEUE_NUM_MAX / 4] = FR_RR_NUM;
	*vq = va_mmio_fake_setup_vq(e->vdev, FR_RR_QUEUE, dma_dev);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(*vq), "setup: %ld", PTR_ERR(*vq));
	KUNIT_ASSERT_EQ(test, e->f.r[VIRTIO_MMIO_QUEUE_READY / 4], 1);
	e->f.n = 0;
	return e;
}

static u64 fr_reg64(const struct fake_regs *f, unsigned int lo)
{
	return f->r[lo / 4] | (u64)f->r[lo / 4 + 1] << 32;
}

/*
 * Post one device-writable buffer of @len bytes with @token; the device
 * must see the kick on QueueNotify.
 */
static void fr_post(struct kunit *test, struct fr_env *e, struct virtqueue *vq,
		    void *buf, unsigned int len, void *token)
{
	struct scatterlist sg;
	unsigned int n = e->f.n;

	sg_init_one(&sg, buf, len);
	KUNIT_ASSERT_EQ(test, vra_add_inbuf(vq, &sg, 1, token, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, vra_kick(vq));
	KUNIT_ASSERT_EQ(test, e->f.n, n + 1);
	KUNIT_EXPECT_TRUE(test, e->f.op[n].write);
	KUNIT_EXPECT_EQ(test, e->f.op[n].off, VIRTIO_MMIO_QUEUE_NOTIFY);
	KUNIT_EXPECT_EQ(test, e->f.op[n].val, vq->index);
}

/*
 * The device's side, through the addresses in its registers only (2.7):
 * take the first available buffer of a fresh ring, check it is @len bytes
 * device-writable, and use it with @written bytes.
 */
static void fr_device_use(struct kunit *test, struct fr_env *e,
			  unsigned int len, u32 written)
{
	struct virtio_device *vdev = e->vdev;
	struct vring_desc *desc = phys_to_virt(fr_reg64(&e->f,
					VIRTIO_MMIO_QUEUE_DESC_LOW));
	struct vring_avail *avail = phys_to_virt(fr_reg64(&e->f,
					VIRTIO_MMIO_QUEUE_AVAIL_LOW));
	struct vring_used *used = phys_to_virt(fr_reg64(&e->f,
					VIRTIO_MMIO_QUEUE_USED_LOW));
	u16 head;

	KUNIT_ASSERT_EQ(test, virtio16_to_cpu(vdev, avail->idx), 1);
	head = virtio16_to_cpu(vdev, avail->ring[0]);
	KUNIT_ASSERT_LT(test, head, FR_RR_NUM);
	KUNIT_EXPECT_EQ(test, virtio32_to_cpu(vdev, desc[head].len), len);
	KUNIT_EXPECT_EQ(test, virtio16_to_cpu(vdev, desc[head].flags),
			VRING_DESC_F_WRITE);
	KUNIT_ASSERT_EQ(test, virtio16_to_cpu(vdev, used->idx), 0);
	used->ring[0].id = cpu_to_virtio32(vdev, head);
	used->ring[0].len = cpu_to_virtio32(vdev, written);
	/* The used element before the index that publishes it (2.7.8.2). */
	virt_wmb();
	used->idx = cpu_to_virtio16(vdev, 1);
}

/*
 * 2.6.1, 4.2.2: QueueSel, QueueReset 1, QueueReset read until 0 (twice 1
 * here), QueueReady must read 0; the buffer in flight goes back to the
 * driver; then QueueSel, QueueReset and QueueReady read 0, QueueNum, the
 * three areas (Low, High) at the ring's addresses, and last QueueReady 1.
 * The queue then carries a buffer to the device and back.
 */
static void regs_queue_reset(struct kunit *test)
{
	unsigned int *recycled, len = 0;
	struct virtqueue *vq;
	struct fr_env *e = fr_create_rr(test, &vq);
	const u64 d = vra_get_desc_addr(vq), a = vra_get_avail_addr(vq);
	const u64 u = vra_get_used_addr(vq);
	const struct fr_op want[] = {
		W(QUEUE_SEL, FR_RR_QUEUE), W(QUEUE_RESET, 1),
		R(QUEUE_RESET, 1), R(QUEUE_RESET, 1), R(QUEUE_RESET, 0),
		R(QUEUE_READY, 0),
		W(QUEUE_SEL, FR_RR_QUEUE), R(QUEUE_RESET, 0), R(QUEUE_READY, 0),
		W(QUEUE_NUM, FR_RR_NUM),
		W(QUEUE_DESC_LOW, lower_32_bits(d)),
		W(QUEUE_DESC_HIGH, upper_32_bits(d)),
		W(QUEUE_AVAIL_LOW, lower_32_bits(a)),
		W(QUEUE_AVAIL_HIGH, upper_32_bits(a)),
		W(QUEUE_USED_LOW, lower_32_bits(u)),
		W(QUEUE_USED_HIGH, upper_32_bits(u)),
		W(QUEUE_READY, 1),
	};
	u8 *buf = kunit_kzalloc(test, 2 * 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	recycled = test->priv;
	fr_post(test, e, vq, buf, 64, buf);
	e->f.n = 0;
	e->f.qreset_reads = 2;
	KUNIT_ASSERT_EQ(test, vtr_reset_vq(vq, 0, fr_recycle), 0);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, *recycled, 1);
	KUNIT_EXPECT_FALSE(test, vq->reset);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(vq));
	KUNIT_EXPECT_EQ(test, to_vtr_vq(vq)->resets, 1);

	/* Working: a buffer to the device and back, on the fresh ring. */
	e->f.n = 0;
	fr_post(test, e, vq, buf + 64, 64, buf + 64);
	fr_device_use(test, e, 64, 40);
	KUNIT_EXPECT_PTR_EQ(test, vra_get_buf(vq, &len), (void *)(buf + 64));
	KUNIT_EXPECT_EQ(test, len, 40);
	KUNIT_EXPECT_NULL(test, vra_get_buf(vq, &len));
	KUNIT_EXPECT_FALSE(test, vra_is_broken(vq));
}

/*
 * QueueReset never reads 0 again: -ETIMEDOUT after the bound (FR_RR_MS
 * here, VM_RESET_TIMEOUT_MS on a real device), with only QueueReset reads
 * after the write; the queue is broken and stays stopped: re-enabling it
 * is refused without a register written, and no buffer can be added.
 */
static void regs_queue_reset_timeout(struct kunit *test)
{
	struct virtqueue *vq;
	struct fr_env *e = fr_create_rr(test, &vq);
	const struct fr_op enable[] = {
		W(QUEUE_SEL, FR_RR_QUEUE), R(QUEUE_RESET, 1), R(QUEUE_READY, 1),
	};
	struct scatterlist sg;
	unsigned int i;
	ktime_t t0;
	s64 ms;
	u8 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	va_mmio_fake_set_queue_reset_ms(e->vdev, FR_RR_MS);
	e->f.qreset_reads = UINT_MAX;
	t0 = ktime_get();
	KUNIT_EXPECT_EQ(test, vtr_reset_vq(vq, 0, fr_recycle), -ETIMEDOUT);
	ms = ktime_ms_delta(ktime_get(), t0);
	/* The transport counts jiffies: allow two ticks of rounding. */
	KUNIT_EXPECT_GE(test, ms, FR_RR_MS - 2 * (s64)jiffies_to_msecs(1));
	KUNIT_EXPECT_LT(test, ms, 1000);
	KUNIT_ASSERT_GT(test, e->f.n, 3);
	KUNIT_ASSERT_LE(test, e->f.n, FR_TRACE);
	KUNIT_EXPECT_TRUE(test, e->f.op[0].write);
	KUNIT_EXPECT_EQ(test, e->f.op[0].off, VIRTIO_MMIO_QUEUE_SEL);
	KUNIT_EXPECT_EQ(test, e->f.op[0].val, FR_RR_QUEUE);
	KUNIT_EXPECT_TRUE(test, e->f.op[1].write);
	KUNIT_EXPECT_EQ(test, e->f.op[1].off, VIRTIO_MMIO_QUEUE_RESET);
	KUNIT_EXPECT_EQ(test, e->f.op[1].val, 1);
	for (i = 2; i < e->f.n; i++) {
		KUNIT_EXPECT_FALSE_MSG(test, e->f.op[i].write, "access %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e->f.op[i].off,
				    VIRTIO_MMIO_QUEUE_RESET, "access %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e->f.op[i].val, 1, "access %u", i);
	}
	KUNIT_EXPECT_EQ(test, *(unsigned int *)test->priv, 0);
	KUNIT_EXPECT_TRUE(test, vq->reset);
	KUNIT_EXPECT_TRUE(test, vra_is_broken(vq));
	KUNIT_EXPECT_EQ(test, to_vtr_vq(vq)->resets, 0);

	e->f.n = 0;
	KUNIT_EXPECT_EQ(test, e->vdev->config->enable_vq_after_reset(vq),
			-EBUSY);
	fr_expect(test, &e->f, enable, ARRAY_SIZE(enable));
	sg_init_one(&sg, buf, 64);
	KUNIT_EXPECT_EQ(test, vra_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL),
			-EIO);
}

/*
 * QEMU 7.2: the write to QueueReset is dropped and it reads 0, but the
 * queue was never reset: QueueReady still reads 1, so the reset fails with
 * -EIO at once, the queue broken and stopped.
 */
static void regs_queue_reset_no_register(struct kunit *test)
{
	static const struct fr_op want[] = {
		W(QUEUE_SEL, FR_RR_QUEUE), W(QUEUE_RESET, 1),
		R(QUEUE_RESET, 0), R(QUEUE_READY, 1),
	};
	struct virtqueue *vq;
	struct fr_env *e = fr_create_rr(test, &vq);

	e->f.qreset_absent = true;
	KUNIT_EXPECT_EQ(test, vtr_reset_vq(vq, 0, fr_recycle), -EIO);
	fr_expect(test, &e->f, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_TRUE(test, vq->reset);
	KUNIT_EXPECT_TRUE(test, vra_is_broken(vq));
}

static struct kunit_case va_mmio_regs_cases[] = {
	KUNIT_CASE(regs_reset_waits),
	KUNIT_CASE_SLOW(regs_reset_bounded),
	KUNIT_CASE(regs_features_read),
	KUNIT_CASE(regs_features_write),
	KUNIT_CASE(regs_features_no_version_1),
	KUNIT_CASE(regs_features_ok_refused),
	KUNIT_CASE(regs_queue_v2),
	KUNIT_CASE(regs_queue_v2_refused),
	KUNIT_CASE(regs_queue_v1),
	KUNIT_CASE(regs_queue_v1_refused),
	KUNIT_CASE_PARAM(regs_ring_reset_accepted, fr_rr_gen_params),
	KUNIT_CASE(regs_queue_reset),
	KUNIT_CASE(regs_queue_reset_timeout),
	KUNIT_CASE(regs_queue_reset_no_register),
	{}
};

static struct kunit_suite va_mmio_regs_suite = {
	.name = "virtio_alt_mmio_regs",
	.test_cases = va_mmio_regs_cases,
};

kunit_test_suites(&va_mmio_cmdline_suite, &va_mmio_layout_suite,
		  &va_mmio_regs_suite);
