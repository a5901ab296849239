// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: balloon queue numbering (balloon_layout.c) for every combination
 * of the three optional-queue features (statsq, free_page_vq, reporting_vq)
 * offered by the device and accepted by the driver, under each rule.
 *
 * The table was written from the two seed threads, not from the code:
 *  - spec (virtio 1.3, 5.5.2 as written): statsq 2, free_page_vq 3,
 *    reporting_vq 4, each present only when its feature is negotiated;
 *  - offered (QEMU: a queue per offered feature, added when the device is
 *    created): queues in feature order, counting every offered feature;
 *  - negotiated (Linux since 2019): the same, counting only negotiated ones.
 * A row gives the rule, the offered and accepted features as "SHR" (stats,
 * hint, reporting; '-' for absent), and the expected indexes, -1 for none.
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/virtio_balloon.h>

#include "../balloon.h"

struct layout_row {
	enum va_balloon_numbering rule;
	const char *offered;
	const char *accepted;
	int index[3];
};

static const struct layout_row layout_rows[] = {
	{ VA_NUMBER_OFFERED, "---", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "---", "SHR", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S--", "SHR", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "SH-", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "-HR", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "-H-", "SHR", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "-HR", { -1,  3, -1 } },
	{ VA_NUMBER_OFFERED, "SH-", "SHR", {  2,  3, -1 } },
	{ VA_NUMBER_OFFERED, "--R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "--R", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "--R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "--R", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "--R", "--R", { -1, -1,  2 } },
	{ VA_NUMBER_OFFERED, "--R", "S-R", { -1, -1,  2 } },
	{ VA_NUMBER_OFFERED, "--R", "-HR", { -1, -1,  2 } },
	{ VA_NUMBER_OFFERED, "--R", "SHR", { -1, -1,  2 } },
	{ VA_NUMBER_OFFERED, "S-R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S-R", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S-R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S-R", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "S-R", "--R", { -1, -1,  3 } },
	{ VA_NUMBER_OFFERED, "S-R", "S-R", {  2, -1,  3 } },
	{ VA_NUMBER_OFFERED, "S-R", "-HR", { -1, -1,  3 } },
	{ VA_NUMBER_OFFERED, "S-R", "SHR", {  2, -1,  3 } },
	{ VA_NUMBER_OFFERED, "-HR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-HR", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "-HR", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "-HR", "SH-", { -1,  2, -1 } },
	{ VA_NUMBER_OFFERED, "-HR", "--R", { -1, -1,  3 } },
	{ VA_NUMBER_OFFERED, "-HR", "S-R", { -1, -1,  3 } },
	{ VA_NUMBER_OFFERED, "-HR", "-HR", { -1,  2,  3 } },
	{ VA_NUMBER_OFFERED, "-HR", "SHR", { -1,  2,  3 } },
	{ VA_NUMBER_OFFERED, "SHR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SHR", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_OFFERED, "SHR", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_OFFERED, "SHR", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_OFFERED, "SHR", "--R", { -1, -1,  4 } },
	{ VA_NUMBER_OFFERED, "SHR", "S-R", {  2, -1,  4 } },
	{ VA_NUMBER_OFFERED, "SHR", "-HR", { -1,  3,  4 } },
	{ VA_NUMBER_OFFERED, "SHR", "SHR", {  2,  3,  4 } },
	{ VA_NUMBER_NEGOTIATED, "---", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "---", "SHR", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S--", "SHR", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "SH-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "-HR", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-H-", "SHR", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "-HR", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SH-", "SHR", {  2,  3, -1 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "--R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "S-R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "-HR", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "--R", "SHR", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "--R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "S-R", {  2, -1,  3 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "-HR", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "S-R", "SHR", {  2, -1,  3 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "SH-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "--R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "S-R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "-HR", { -1,  2,  3 } },
	{ VA_NUMBER_NEGOTIATED, "-HR", "SHR", { -1,  2,  3 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "-H-", { -1,  2, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "--R", { -1, -1,  2 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "S-R", {  2, -1,  3 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "-HR", { -1,  2,  3 } },
	{ VA_NUMBER_NEGOTIATED, "SHR", "SHR", {  2,  3,  4 } },
	{ VA_NUMBER_SPEC, "---", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "---", "SHR", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "-HR", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S--", "SHR", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "SH-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "S-R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "-HR", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "-H-", "SHR", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "--R", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "S-R", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "-HR", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "SH-", "SHR", {  2,  3, -1 } },
	{ VA_NUMBER_SPEC, "--R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "--R", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "--R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "--R", "SH-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "--R", "--R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "--R", "S-R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "--R", "-HR", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "--R", "SHR", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "S-R", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S-R", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "S-R", "-H-", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "S-R", "SH-", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "S-R", "--R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "S-R", "S-R", {  2, -1,  4 } },
	{ VA_NUMBER_SPEC, "S-R", "-HR", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "S-R", "SHR", {  2, -1,  4 } },
	{ VA_NUMBER_SPEC, "-HR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-HR", "S--", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "-HR", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "-HR", "SH-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "-HR", "--R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "-HR", "S-R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "-HR", "-HR", { -1,  3,  4 } },
	{ VA_NUMBER_SPEC, "-HR", "SHR", { -1,  3,  4 } },
	{ VA_NUMBER_SPEC, "SHR", "---", { -1, -1, -1 } },
	{ VA_NUMBER_SPEC, "SHR", "S--", {  2, -1, -1 } },
	{ VA_NUMBER_SPEC, "SHR", "-H-", { -1,  3, -1 } },
	{ VA_NUMBER_SPEC, "SHR", "SH-", {  2,  3, -1 } },
	{ VA_NUMBER_SPEC, "SHR", "--R", { -1, -1,  4 } },
	{ VA_NUMBER_SPEC, "SHR", "S-R", {  2, -1,  4 } },
	{ VA_NUMBER_SPEC, "SHR", "-HR", { -1,  3,  4 } },
	{ VA_NUMBER_SPEC, "SHR", "SHR", {  2,  3,  4 } },
};

/* "SHR" with '-' holes to feature bits. */
static u64 layout_bits(const char *feats)
{
	static const unsigned int bit[] = {
		VIRTIO_BALLOON_F_STATS_VQ,
		VIRTIO_BALLOON_F_FREE_PAGE_HINT,
		VIRTIO_BALLOON_F_REPORTING,
	};
	u64 bits = BIT_ULL(VIRTIO_BALLOON_F_MUST_TELL_HOST);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bit); i++)
		if (feats[i] != '-')
			bits |= BIT_ULL(bit[i]);
	return bits;
}

static void layout_row_desc(const struct layout_row *row, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s offered %s accepted %s",
		 va_balloon_numbering_names[row->rule], row->offered,
		 row->accepted);
}

KUNIT_ARRAY_PARAM(layout, layout_rows, layout_row_desc);

static void layout_table(struct kunit *test)
{
	const struct layout_row *row = test->param_value;
	u64 offered = layout_bits(row->offered);
	u64 negotiated = offered & layout_bits(row->accepted);
	int index[VA_BVQ_MAX];
	unsigned int q;

	memset(index, 0x5a, sizeof(index));
	KUNIT_ASSERT_EQ(test, va_balloon_layout(row->rule, offered, negotiated,
						index), 0);
	KUNIT_EXPECT_EQ(test, index[VA_BVQ_INFLATE], 0);
	KUNIT_EXPECT_EQ(test, index[VA_BVQ_DEFLATE], 1);
	for (q = 0; q < 3; q++)
		KUNIT_EXPECT_EQ_MSG(test, index[VA_BVQ_STATS + q], row->index[q],
				    "queue %s", va_balloon_vq_names[VA_BVQ_STATS + q]);
}

/* No two queues of one layout share an index. */
static void layout_indexes_unique(struct kunit *test)
{
	const struct layout_row *row = test->param_value;
	u64 offered = layout_bits(row->offered);
	int index[VA_BVQ_MAX];
	unsigned int a, b;

	KUNIT_ASSERT_EQ(test, va_balloon_layout(row->rule, offered,
						offered & layout_bits(row->accepted),
						index), 0);
	for (a = 0; a < VA_BVQ_MAX; a++)
		for (b = a + 1; b < VA_BVQ_MAX; b++)
			if (index[a] != VA_BVQ_NONE)
				KUNIT_EXPECT_NE(test, index[a], index[b]);
}

/*
 * The seed scenario: the device offers free page hinting and reporting,
 * the driver declines hinting. QEMU put reporting_vq at 4 (after the
 * hinting queue it created); the negotiated rule looks for it at 3.
 */
static void layout_seed_scenario(struct kunit *test)
{
	u64 offered = layout_bits("SHR"), negotiated = layout_bits("S-R");
	int index[VA_BVQ_MAX];

	KUNIT_ASSERT_EQ(test, va_balloon_layout(VA_NUMBER_OFFERED, offered,
						negotiated, index), 0);
	KUNIT_EXPECT_EQ(test, index[VA_BVQ_REPORTING], 4);
	KUNIT_EXPECT_EQ(test, index[VA_BVQ_FREE_PAGE], VA_BVQ_NONE);
	KUNIT_ASSERT_EQ(test, va_balloon_layout(VA_NUMBER_NEGOTIATED, offered,
						negotiated, index), 0);
	KUNIT_EXPECT_EQ(test, index[VA_BVQ_REPORTING], 3);
}

/*
 * balloon_conflict=decline: what is declined leaves every queue where a
 * device numbering over offered features has it, only queue features the
 * driver accepted are declined, and nothing is when the layouts agree.
 */
static void layout_conflicts_agree(struct kunit *test)
{
	const struct layout_row *row = test->param_value;
	u64 queues = layout_bits("SHR") &
		     ~BIT_ULL(VIRTIO_BALLOON_F_MUST_TELL_HOST);
	u64 offered = layout_bits(row->offered);
	u64 accepted = offered & layout_bits(row->accepted);
	int mine[VA_BVQ_MAX], theirs[VA_BVQ_MAX];
	u64 decline;
	unsigned int q;
	bool agree = true;

	decline = va_balloon_layout_conflicts(row->rule, offered, accepted);
	KUNIT_EXPECT_EQ(test, decline & ~(accepted & queues), 0);
	if (row->rule == VA_NUMBER_OFFERED)
		KUNIT_EXPECT_EQ(test, decline, 0);
	KUNIT_ASSERT_EQ(test, va_balloon_layout(row->rule, offered,
						accepted & ~decline, mine), 0);
	KUNIT_ASSERT_EQ(test, va_balloon_layout(VA_NUMBER_OFFERED, offered,
						accepted & ~decline, theirs),
			0);
	for (q = 0; q < VA_BVQ_MAX; q++)
		KUNIT_EXPECT_EQ_MSG(test, mine[q], theirs[q], "queue %s",
				    va_balloon_vq_names[q]);
	/* Already in agreement: nothing to decline. */
	KUNIT_ASSERT_EQ(test, va_balloon_layout(row->rule, offered, accepted,
						mine), 0);
	KUNIT_ASSERT_EQ(test, va_balloon_layout(VA_NUMBER_OFFERED, offered,
						accepted, theirs), 0);
	for (q = 0; q < VA_BVQ_MAX; q++)
		agree &= mine[q] == theirs[q];
	if (agree)
		KUNIT_EXPECT_EQ(test, decline, 0);
	else
		KUNIT_EXPECT_NE(test, decline, 0);
}

/*
 * The seed scenarios with balloon_conflict=decline: hinting declined, the
 * negotiated rule would put reporting at 3 (QEMU's hinting queue): declined.
 * Statistics and hinting declined: reporting at 2 (QEMU's statistics
 * queue): declined. The fixed table with hinting not offered: reporting at
 * 4, QEMU has it at 3: declined; statistics at 2 stays.
 */
/* What balloon_conflict=decline declines, "SHR" strings as in the table. */
static u64 conflicts(enum va_balloon_numbering rule, const char *offered,
		     const char *accepted)
{
	u64 off = layout_bits(offered);

	return va_balloon_layout_conflicts(rule, off,
					   off & layout_bits(accepted));
}

static void layout_conflicts_seed(struct kunit *test)
{
	u64 rep = BIT_ULL(VIRTIO_BALLOON_F_REPORTING);
	u64 hint = BIT_ULL(VIRTIO_BALLOON_F_FREE_PAGE_HINT);

	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_NEGOTIATED, "SHR", "S-R"),
			rep);
	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_OFFERED, "SHR", "S-R"), 0);
	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_NEGOTIATED, "SHR", "--R"),
			rep);
	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_SPEC, "S-R", "S-R"), rep);
	/* Statistics declined: hinting and reporting both move. */
	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_NEGOTIATED, "SHR", "-HR"),
			rep | hint);
	/* Bad input: nothing to say. */
	KUNIT_EXPECT_EQ(test, conflicts(VA_NUMBER_MAX, "SHR", "S-R"), 0);
	KUNIT_EXPECT_EQ(test, va_balloon_vq_feature(VA_BVQ_REPORTING),
			VIRTIO_BALLOON_F_REPORTING);
	KUNIT_EXPECT_EQ(test, va_balloon_vq_feature(VA_BVQ_MAX), 0);
}

/* Bad input changes nothing and says -EINVAL. */
static void layout_bad_input(struct kunit *test)
{
	int index[VA_BVQ_MAX] = { 7, 7, 7, 7, 7 };
	unsigned int q;

	KUNIT_EXPECT_EQ(test, va_balloon_layout(VA_NUMBER_MAX, 0, 0, index),
			-EINVAL);
	/* Negotiated bits the device never offered. */
	KUNIT_EXPECT_EQ(test, va_balloon_layout(VA_NUMBER_OFFERED,
						layout_bits("S--"),
						layout_bits("S-R"), index),
			-EINVAL);
	for (q = 0; q < VA_BVQ_MAX; q++)
		KUNIT_EXPECT_EQ(test, index[q], 7);
}

static struct kunit_case va_balloon_layout_cases[] = {
	KUNIT_CASE_PARAM(layout_table, layout_gen_params),
	KUNIT_CASE_PARAM(layout_indexes_unique, layout_gen_params),
	KUNIT_CASE(layout_seed_scenario),
	KUNIT_CASE_PARAM(layout_conflicts_agree, layout_gen_params),
	KUNIT_CASE(layout_conflicts_seed),
	KUNIT_CASE(layout_bad_input),
	{}
};

static struct kunit_suite va_balloon_layout_suite = {
	.name = "virtio_alt_balloon_layout",
	.test_cases = va_balloon_layout_cases,
};

kunit_test_suites(&va_balloon_layout_suite);
