// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_alt_balloon: the statistics queue (virtio 1.3, 5.5.6.3).
 *
 * The driver keeps exactly one buffer in statsq. The device asks for fresh
 * values by using it; the driver then refreshes every statistic the
 * running kernel provides and makes the same buffer available again. The
 * device is never given a second buffer, and a buffer it did not use is
 * never refreshed under it.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>

#include "balloon.h"
#include "vq.h"

static const char * const va_bstat_names[VA_BALLOON_S_NR] = {
	[VIRTIO_BALLOON_S_SWAP_IN]	= "swap_in",
	[VIRTIO_BALLOON_S_SWAP_OUT]	= "swap_out",
	[VIRTIO_BALLOON_S_MAJFLT]	= "major_faults",
	[VIRTIO_BALLOON_S_MINFLT]	= "minor_faults",
	[VIRTIO_BALLOON_S_MEMFREE]	= "free_memory",
	[VIRTIO_BALLOON_S_MEMTOT]	= "total_memory",
	[VIRTIO_BALLOON_S_AVAIL]	= "available_memory",
	[VIRTIO_BALLOON_S_CACHES]	= "disk_caches",
	[VIRTIO_BALLOON_S_HTLB_PGALLOC]	= "hugetlb_allocations",
	[VIRTIO_BALLOON_S_HTLB_PGFAIL]	= "hugetlb_failures",
	[VIRTIO_BALLOON_S_OOM_KILL]	= "oom_kills",
	[VIRTIO_BALLOON_S_ALLOC_STALL]	= "alloc_stalls",
	[VIRTIO_BALLOON_S_ASYNC_SCAN]	= "async_scans",
	[VIRTIO_BALLOON_S_DIRECT_SCAN]	= "direct_scans",
	[VIRTIO_BALLOON_S_ASYNC_RECLAIM] = "async_reclaims",
	[VIRTIO_BALLOON_S_DIRECT_RECLAIM] = "direct_reclaims",
};

static void va_bstat(struct va_balloon *vb, u16 tag, u64 val)
{
	struct virtio_balloon_stat *st = &vb->stats[vb->num_stats++];

	/* Little-endian, or guest-native for a legacy device (5.5.6.3.1). */
	st->tag = cpu_to_virtio16(vb->vdev, tag);
	st->val = cpu_to_virtio64(vb->vdev, val);
}

static u64 va_bytes(unsigned long pages)
{
	return (u64)pages << PAGE_SHIFT;
}

#ifdef CONFIG_VM_EVENT_COUNTERS
static void va_bstats_events(struct va_balloon *vb)
{
	unsigned long events[NR_VM_EVENT_ITEMS];
	unsigned long stall = 0;
	unsigned int zone;

	all_vm_events(events);
	va_bstat(vb, VIRTIO_BALLOON_S_SWAP_IN, va_bytes(events[PSWPIN]));
	va_bstat(vb, VIRTIO_BALLOON_S_SWAP_OUT, va_bytes(events[PSWPOUT]));
	va_bstat(vb, VIRTIO_BALLOON_S_MAJFLT, events[PGMAJFAULT]);
	va_bstat(vb, VIRTIO_BALLOON_S_MINFLT, events[PGFAULT]);
	va_bstat(vb, VIRTIO_BALLOON_S_OOM_KILL, events[OOM_KILL]);
	for (zone = 0; zone < MAX_NR_ZONES; zone++)
		stall += events[ALLOCSTALL_NORMAL - ZONE_NORMAL + zone];
	va_bstat(vb, VIRTIO_BALLOON_S_ALLOC_STALL, stall);
	va_bstat(vb, VIRTIO_BALLOON_S_ASYNC_SCAN,
		 va_bytes(events[PGSCAN_KSWAPD]));
	va_bstat(vb, VIRTIO_BALLOON_S_DIRECT_SCAN,
		 va_bytes(events[PGSCAN_DIRECT]));
	va_bstat(vb, VIRTIO_BALLOON_S_ASYNC_RECLAIM,
		 va_bytes(events[PGSTEAL_KSWAPD]));
	va_bstat(vb, VIRTIO_BALLOON_S_DIRECT_RECLAIM,
		 va_bytes(events[PGSTEAL_DIRECT]));
#ifdef CONFIG_HUGETLB_PAGE
	va_bstat(vb, VIRTIO_BALLOON_S_HTLB_PGALLOC, events[HTLB_BUDDY_PGALLOC]);
	va_bstat(vb, VIRTIO_BALLOON_S_HTLB_PGFAIL,
		 events[HTLB_BUDDY_PGALLOC_FAIL]);
#endif
}
#else
static void va_bstats_events(struct va_balloon *vb)
{
}
#endif

/* Refill vb->stats with what the kernel knows now. */
static void va_bstats_collect(struct va_balloon *vb)
{
	struct sysinfo si;

	vb->num_stats = 0;
	va_bstats_events(vb);
	si_meminfo(&si);
	va_bstat(vb, VIRTIO_BALLOON_S_MEMFREE, va_bytes(si.freeram));
	va_bstat(vb, VIRTIO_BALLOON_S_MEMTOT, va_bytes(si.totalram));
	va_bstat(vb, VIRTIO_BALLOON_S_AVAIL, va_bytes(si_mem_available()));
	va_bstat(vb, VIRTIO_BALLOON_S_CACHES,
		 va_bytes(global_node_page_state(NR_FILE_PAGES)));
}

/* Make the statistics buffer available; vb->lock held. */
static void va_bstats_give(struct va_balloon *vb)
{
	struct virtqueue *vq = vb->vqs[VA_BVQ_STATS];
	struct scatterlist sg;
	int err;

	va_bstats_collect(vb);
	sg_init_one(&sg, vb->stats, sizeof(vb->stats[0]) * vb->num_stats);
	err = vaq_add_outbuf(vq, &sg, 1, vb, GFP_KERNEL);
	if (err) {
		dev_err(&vb->vdev->dev,
			"stats queue: adding the statistics buffer: %d; no more statistics\n",
			err);
		return;
	}
	vaq_kick(vq);
}

static void va_bstats_work(struct work_struct *work)
{
	struct va_balloon *vb = container_of(work, struct va_balloon,
					     stats_work);
	struct virtqueue *vq = vb->vqs[VA_BVQ_STATS];
	unsigned int len;

	mutex_lock(&vb->lock);
	/* Only a used buffer is ours to refresh (at most one in the queue). */
	if (vq && vaq_get_buf(vq, &len)) {
		vb->stats_requests++;
		va_bstats_give(vb);
	}
	mutex_unlock(&vb->lock);
}

/**
 * va_bstats_init() - prepare a balloon's statistics state
 * @vb: the balloon, being probed
 *
 * Context: probe, before the queues exist.
 */
void va_bstats_init(struct va_balloon *vb)
{
	INIT_WORK(&vb->stats_work, va_bstats_work);
}

/**
 * va_bstats_start() - give the device the statistics buffer
 * @vb: the balloon, after DRIVER_OK
 *
 * Virtio 1.3, 5.5.6.3: the driver makes one buffer available at start;
 * the device uses it to ask for an update. Does nothing without
 * VIRTIO_BALLOON_F_STATS_VQ.
 *
 * Context: process context; takes vb->lock.
 * Return: 0 (a failure to add the buffer is logged; the balloon works on
 * without statistics).
 */
int va_bstats_start(struct va_balloon *vb)
{
	if (!vb->vqs[VA_BVQ_STATS])
		return 0;
	mutex_lock(&vb->lock);
	va_bstats_give(vb);
	mutex_unlock(&vb->lock);
	return 0;
}

/**
 * va_bstats_stop() - wait for a running statistics update to finish
 * @vb: the balloon
 *
 * After this no update runs until the next va_bstats_done(); callers stop
 * the device's interrupts (reset, queue reset) before or after as their
 * order requires.
 *
 * Context: process context, may sleep; vb->lock not held.
 */
void va_bstats_stop(struct va_balloon *vb)
{
	cancel_work_sync(&vb->stats_work);
}

/**
 * va_bstats_done() - statsq callback: the device asks for statistics
 * @vq: the statistics queue
 *
 * Context: interrupt; queues the update work unless updates are stopped.
 */
void va_bstats_done(struct virtqueue *vq)
{
	struct va_balloon *vb = vq->vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&vb->stop_lock, flags);
	if (!vb->stop_update)
		queue_work(system_freezable_wq, &vb->stats_work);
	spin_unlock_irqrestore(&vb->stop_lock, flags);
}

/**
 * va_bstats_show() - print the statistics last given to the device
 * @vb: the balloon
 * @s: the debugfs file
 *
 * Context: process context; takes vb->lock.
 */
void va_bstats_show(struct va_balloon *vb, struct seq_file *s)
{
	unsigned int i, tag;

	if (!vb->vqs[VA_BVQ_STATS])
		return;
	mutex_lock(&vb->lock);
	seq_printf(s, "stats_requests: %llu\n", vb->stats_requests);
	for (i = 0; i < vb->num_stats; i++) {
		tag = virtio16_to_cpu(vb->vdev, vb->stats[i].tag);
		seq_printf(s, "stat %s: %llu\n",
			   tag < VA_BALLOON_S_NR ? va_bstat_names[tag] : "?",
			   virtio64_to_cpu(vb->vdev, vb->stats[i].val));
	}
	mutex_unlock(&vb->lock);
}
