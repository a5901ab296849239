// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_alt_balloon: which queue index each balloon queue gets.
 *
 * Virtio 1.3, 5.5.2 lists the queues as inflateq 0, deflateq 1, statsq 2,
 * free_page_vq 3 and reporting_vq 4, each optional one present only with
 * its feature. QEMU numbers the queues densely over the features it offers
 * (it creates them when the device is made, before any negotiation); Linux
 * numbers them densely over the negotiated features. The two agree only
 * while the driver accepts every queue feature the device offers
 * (seeds/000, seeds/001). This file computes all three layouts; the
 * balloon_numbering= parameter picks one.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/virtio_balloon.h>

#include "balloon.h"

const char * const va_balloon_numbering_names[VA_NUMBER_MAX] = {
	[VA_NUMBER_OFFERED]	= "offered",
	[VA_NUMBER_NEGOTIATED]	= "negotiated",
	[VA_NUMBER_SPEC]	= "spec",
};
EXPORT_SYMBOL_GPL(va_balloon_numbering_names);

const char * const va_balloon_vq_names[VA_BVQ_MAX] = {
	[VA_BVQ_INFLATE]	= "inflate",
	[VA_BVQ_DEFLATE]	= "deflate",
	[VA_BVQ_STATS]		= "stats",
	[VA_BVQ_FREE_PAGE]	= "free_page",
	[VA_BVQ_REPORTING]	= "reporting",
};
EXPORT_SYMBOL_GPL(va_balloon_vq_names);

/* The feature that brings each optional queue, in queue order. */
static const unsigned int va_bvq_feature[VA_BVQ_MAX] = {
	[VA_BVQ_STATS]		= VIRTIO_BALLOON_F_STATS_VQ,
	[VA_BVQ_FREE_PAGE]	= VIRTIO_BALLOON_F_FREE_PAGE_HINT,
	[VA_BVQ_REPORTING]	= VIRTIO_BALLOON_F_REPORTING,
};

/**
 * va_balloon_vq_feature() - the feature that brings an optional queue
 * @q: the queue, %VA_BVQ_STATS or later
 *
 * Context: any.
 * Return: the feature bit number (virtio 1.3, 5.5.3), 0 for inflateq and
 * deflateq (always present) or an out-of-range @q.
 */
unsigned int va_balloon_vq_feature(unsigned int q)
{
	return q < VA_BVQ_MAX ? va_bvq_feature[q] : 0;
}
EXPORT_SYMBOL_GPL(va_balloon_vq_feature);

/**
 * va_balloon_layout() - queue indexes of the balloon under one rule
 * @rule: the numbering rule
 * @offered: feature bits the device offers, bit n for feature n
 * @negotiated: feature bits negotiated; must be a subset of @offered
 * @index: filled with the queue index of each &enum va_balloon_vq, or
 *	VA_BVQ_NONE where the queue's feature is not negotiated
 *
 * Implements the three readings of virtio 1.3, 5.5.2 described at the top
 * of this file. inflateq and deflateq are always 0 and 1. An optional
 * queue exists for the driver only when its feature is negotiated; under
 * %VA_NUMBER_OFFERED a queue whose feature is offered but declined still
 * takes its index, and the queue is left alone.
 *
 * Context: any.
 * Return: 0, or -EINVAL for an unknown @rule or @negotiated bits that
 * @offered lacks (@index is then untouched).
 */
int va_balloon_layout(enum va_balloon_numbering rule, u64 offered,
		      u64 negotiated, int index[VA_BVQ_MAX])
{
	int next = VA_BVQ_STATS;
	unsigned int q;
	u64 bit;

	if (rule >= VA_NUMBER_MAX || (negotiated & ~offered))
		return -EINVAL;
	index[VA_BVQ_INFLATE] = VA_BVQ_INFLATE;
	index[VA_BVQ_DEFLATE] = VA_BVQ_DEFLATE;
	for (q = VA_BVQ_STATS; q < VA_BVQ_MAX; q++) {
		bit = BIT_ULL(va_bvq_feature[q]);
		index[q] = VA_BVQ_NONE;
		switch (rule) {
		case VA_NUMBER_SPEC:
			if (negotiated & bit)
				index[q] = q;
			break;
		case VA_NUMBER_OFFERED:
			if (negotiated & bit)
				index[q] = next;
			if (offered & bit)
				next++;
			break;
		default:
			if (negotiated & bit)
				index[q] = next++;
			break;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(va_balloon_layout);

/**
 * va_balloon_layout_conflicts() - queue features a device numbering over
 * offered features would serve at another index
 * @rule: the numbering rule the driver uses
 * @offered: feature bits the device offers
 * @accepted: feature bits the driver would accept; a subset of @offered
 *
 * A device that numbers its queues over the features it offers (QEMU) has
 * each optional queue at its %VA_NUMBER_OFFERED index, whatever is
 * negotiated. Under another @rule a queue whose feature is accepted can
 * land where that device has another queue, or none (virtio 1.3, 5.5.2;
 * seeds/000 and 001). This gives the queue features to decline so that
 * every queue left is where such a device has it. Declining one moves the
 * queues after it under %VA_NUMBER_NEGOTIATED, so it repeats until nothing
 * moves; there are at most three rounds.
 *
 * Context: any.
 * Return: a subset of @accepted, only %VIRTIO_BALLOON_F_STATS_VQ,
 * %VIRTIO_BALLOON_F_FREE_PAGE_HINT and %VIRTIO_BALLOON_F_REPORTING bits;
 * 0 under %VA_NUMBER_OFFERED, and 0 for input va_balloon_layout() refuses.
 */
u64 va_balloon_layout_conflicts(enum va_balloon_numbering rule, u64 offered,
				u64 accepted)
{
	int mine[VA_BVQ_MAX], theirs[VA_BVQ_MAX];
	u64 decline = 0;
	unsigned int q;

	for (;;) {
		if (va_balloon_layout(rule, offered, accepted & ~decline, mine) ||
		    va_balloon_layout(VA_NUMBER_OFFERED, offered,
				      accepted & ~decline, theirs))
			return 0;
		for (q = VA_BVQ_STATS; q < VA_BVQ_MAX; q++)
			if (mine[q] != VA_BVQ_NONE && mine[q] != theirs[q])
				break;
		if (q == VA_BVQ_MAX)
			return decline;
		decline |= BIT_ULL(va_bvq_feature[q]);
	}
}
EXPORT_SYMBOL_GPL(va_balloon_layout_conflicts);
