/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio_alt_balloon: what the balloon's parts share (balloon.c, the queue
 * layout in balloon_layout.c, statistics in balloon_stats.c).
 */
#ifndef _VIRTIO_ALT_BALLOON_H
#define _VIRTIO_ALT_BALLOON_H

#include <linux/balloon_compaction.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/page_reporting.h>
#include <linux/types.h>
#include <linux/virtio_balloon.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* Statistics tags of virtio 1.3 (5.5.6.3) that older headers lack. */
#ifndef VIRTIO_BALLOON_S_OOM_KILL
#define VIRTIO_BALLOON_S_OOM_KILL	10
#define VIRTIO_BALLOON_S_ALLOC_STALL	11
#define VIRTIO_BALLOON_S_ASYNC_SCAN	12
#define VIRTIO_BALLOON_S_DIRECT_SCAN	13
#define VIRTIO_BALLOON_S_ASYNC_RECLAIM	14
#define VIRTIO_BALLOON_S_DIRECT_RECLAIM	15
#endif
#define VA_BALLOON_S_NR 16

struct seq_file;
struct virtqueue;

/* Balloon page numbers are in 4 KiB units whatever the kernel page size. */
#define VA_BALLOON_PAGES_PER_PAGE (PAGE_SIZE >> VIRTIO_BALLOON_PFN_SHIFT)
/* Page numbers per buffer, and buffers in flight per request. */
#define VA_BALLOON_PFNS_MAX 256
#define VA_BALLOON_BUFS 4

struct shrinker;

/**
 * struct va_bhint - free page hinting state (balloon_hint.c)
 * @work: runs the command-id protocol, a bounded batch per run
 * @lock: protects the free page queue and every field below but @list,
 *	@held, @returned and @shrunk
 * @list_lock: protects @list, @held, @returned and @shrunk
 * @list: blocks of hinted pages held until the device says DONE
 * @shrinker: gives held pages back under memory pressure
 * @enabled: hinting runs (feature negotiated, queue and shrinker ready)
 * @paused: the free page queue is being reset; protected by stop_lock
 * @reread: the configuration changed since the command id was read last;
 *	protected by stop_lock
 * @round: a round is open: its command id was sent, STOP not yet
 * @pending: a new command id waits for its round
 * @kick: buffers were added since the last notification
 * @pressure: the shrinker took pages back during the open round
 * @start_out: the device has not yet used @start_buf
 * @stop_out: buffers of @stop_buf the device has not yet used
 * @seen_id: the command id read last from the configuration
 * @cmd_id: the command id of the open (or last) round
 * @start_buf: the command id as given to the device
 * @stop_buf: VIRTIO_BALLOON_CMD_ID_STOP as given to the device
 * @round_blocks: blocks hinted in the open round
 * @stall_since: jiffies when the device was first found not taking
 *	buffers, 0 while it takes them
 * @commands: new command ids acted on
 * @dones: times the device said VIRTIO_BALLOON_CMD_ID_DONE
 * @hinted: pages hinted, 4 KiB units
 * @held: pages held now, 4 KiB units
 * @returned: pages given back to the kernel, 4 KiB units
 * @shrunk: of @returned, pages given back under memory pressure
 * @stalls: rounds or commands dropped because the device took no buffers
 */
struct va_bhint {
	struct delayed_work work;
	struct mutex lock;		/* the queue, the round */
	spinlock_t list_lock;		/* list, held, returned, shrunk */
	struct list_head list;
	struct shrinker *shrinker;
	bool enabled;
	bool paused;
	bool reread;
	bool round;
	bool pending;
	bool kick;
	bool pressure;
	bool start_out;
	unsigned int stop_out;
	u32 seen_id;
	u32 cmd_id;
	__virtio32 start_buf;
	__virtio32 stop_buf;
	unsigned long round_blocks;
	unsigned long stall_since;
	u64 commands;
	u64 dones;
	u64 hinted;
	u64 held;
	u64 returned;
	u64 shrunk;
	u64 stalls;
};

/**
 * enum va_balloon_vq - the balloon's queues (virtio 1.3, 5.5.2)
 * @VA_BVQ_INFLATE: inflateq, always present
 * @VA_BVQ_DEFLATE: deflateq, always present
 * @VA_BVQ_STATS: statsq, with VIRTIO_BALLOON_F_STATS_VQ
 * @VA_BVQ_FREE_PAGE: free_page_vq, with VIRTIO_BALLOON_F_FREE_PAGE_HINT
 * @VA_BVQ_REPORTING: reporting_vq, with VIRTIO_BALLOON_F_REPORTING
 * @VA_BVQ_MAX: number of queues
 */
enum va_balloon_vq {
	VA_BVQ_INFLATE,
	VA_BVQ_DEFLATE,
	VA_BVQ_STATS,
	VA_BVQ_FREE_PAGE,
	VA_BVQ_REPORTING,
	VA_BVQ_MAX
};

/**
 * enum va_balloon_numbering - how the balloon's queues get their indexes
 * @VA_NUMBER_OFFERED: densely, counting the optional queues whose feature
 *	the device offers, accepted or not; what QEMU does (it adds a queue
 *	per offered feature when the device is created)
 * @VA_NUMBER_NEGOTIATED: densely, counting only negotiated features; the
 *	in-tree driver's rule, right only when every offered queue feature
 *	is accepted
 * @VA_NUMBER_SPEC: the fixed table of 5.5.2: inflateq 0, deflateq 1,
 *	statsq 2, free_page_vq 3, reporting_vq 4
 * @VA_NUMBER_MAX: number of rules
 */
enum va_balloon_numbering {
	VA_NUMBER_OFFERED,
	VA_NUMBER_NEGOTIATED,
	VA_NUMBER_SPEC,
	VA_NUMBER_MAX
};

/**
 * enum va_breport_state - free page reporting of one balloon
 * @VA_BREPORT_OFF: not negotiated, or not started
 * @VA_BREPORT_ON: registered with the kernel's page reporting
 * @VA_BREPORT_DECLINED: negotiated, but the queue is too small or the
 *	kernel refused the registration
 * @VA_BREPORT_STOPPED: the device kept a report; reports fail at once
 */
enum va_breport_state {
	VA_BREPORT_OFF,
	VA_BREPORT_ON,
	VA_BREPORT_DECLINED,
	VA_BREPORT_STOPPED,
};

/* No queue: the feature that brings it is not negotiated. */
#define VA_BVQ_NONE (-1)

extern const char * const va_balloon_numbering_names[VA_NUMBER_MAX];
extern const char * const va_balloon_vq_names[VA_BVQ_MAX];

int va_balloon_layout(enum va_balloon_numbering rule, u64 offered,
		      u64 negotiated, int index[VA_BVQ_MAX]);
unsigned int va_balloon_vq_feature(unsigned int q);
u64 va_balloon_layout_conflicts(enum va_balloon_numbering rule, u64 offered,
				u64 accepted);

/**
 * struct va_balloon - one balloon device
 * @vdev: the device
 * @vqs: the queues, NULL where the feature is not negotiated
 * @index: queue index of each queue, VA_BVQ_NONE where there is none
 * @offered: feature bits the device offered (bits 0-63)
 * @numbering: the numbering rule in force when the device was probed
 * @declined: feature bits balloon_decline= named when the device was probed
 * @misplaced: queue feature bits declined because the numbering rule puts
 *	their queue elsewhere than a device numbering over offered features
 *	(balloon_conflict=decline)
 * @update_work: follows the target (config changes, restarts)
 * @stop_lock: protects @stop_update
 * @stop_update: no more work may be queued (remove, freeze)
 * @dead: the device stopped answering on inflateq or deflateq
 * @lock: protects the page list, @num_pages, @pfns, the two queues and
 *	what is in flight on them
 * @b_dev_info: the kernel's balloon page list (balloon compaction)
 * @acked: woken when the device uses a buffer of inflateq or deflateq
 * @num_pages: pages in the balloon, 4 KiB units
 * @bufs: buffers of page numbers per request, at most the queue sizes
 * @recycled: buffers returned by the last queue reset
 * @num_pfns: entries of @pfns in use
 * @pfns: page numbers of the request being made, 4 KiB units: one half of
 *	@pfn_halves, the other holding those of the request in flight
 * @pfn_halves: the page numbers of two requests
 * @pending: buffers of the request in flight on inflateq and deflateq
 *	(indexed VA_BVQ_INFLATE, VA_BVQ_DEFLATE), not yet waited for
 * @in_flight_pages: pages those requests name, 4 KiB units
 * @deflating: pages out of the balloon whose deflate request is in flight;
 *	they go back to the system once the device used it
 * @oom_nb: out-of-memory notifier (VIRTIO_BALLOON_F_DEFLATE_ON_OOM)
 * @oom_hold: pages went back on out-of-memory; no inflating until the next
 *	configuration change
 * @inflated: pages put into the balloon since probe, 4 KiB units
 * @deflated: pages taken out of the balloon since probe, 4 KiB units
 * @oom_deflated: of @deflated, pages given back on out-of-memory
 * @migrated: balloon pages moved by compaction
 * @alloc_failed: inflate rounds cut short by a failed page allocation
 * @stats_work: refreshes the statistics when the device used the buffer
 * @stats: the statistics buffer, one entry per tag the kernel provides
 * @num_stats: entries of @stats in use
 * @stats_requests: statistics requests answered (buffers re-added)
 * @poison_val: the value written to poison_val (VIRTIO_BALLOON_F_PAGE_POISON)
 * @report_info: registration with the kernel's page reporting
 * @report_lock: serializes reports with the reporting queue's reset and
 *	protects the report counters and @report_state
 * @reported: woken when the device uses a report
 * @report_registered: @report_info is registered
 * @report_state: where free page reporting stands
 * @reports: reports the device returned
 * @report_bytes: bytes of free memory in those reports
 * @report_failures: reports that could not be added or were not returned
 * @report_refused: reports failed at once because reporting stopped
 * @report_recycled: buffers returned by the last reporting queue reset
 * @hint: free page hinting (VIRTIO_BALLOON_F_FREE_PAGE_HINT)
 * @debugfs: the balloon's debugfs file
 */
struct va_balloon {
	struct virtio_device *vdev;
	struct virtqueue *vqs[VA_BVQ_MAX];
	int index[VA_BVQ_MAX];
	u64 offered;
	enum va_balloon_numbering numbering;
	u64 declined;
	u64 misplaced;

	struct work_struct update_work;
	spinlock_t stop_lock;		/* protects stop_update */
	bool stop_update;
	bool dead;

	struct mutex lock;		/* num_pages, pfns, the page queues */
	struct balloon_dev_info b_dev_info;
	wait_queue_head_t acked;
	unsigned int num_pages;
	unsigned int bufs;
	unsigned int recycled;
	unsigned int num_pfns;
	__virtio32 *pfns;
	__virtio32 pfn_halves[2][VA_BALLOON_BUFS * VA_BALLOON_PFNS_MAX];
	unsigned int pending[VA_BVQ_DEFLATE + 1];
	unsigned int in_flight_pages[VA_BVQ_DEFLATE + 1];
	struct list_head deflating;

	struct notifier_block oom_nb;
	bool oom_hold;
	u64 inflated;
	u64 deflated;
	u64 oom_deflated;
	u64 migrated;
	u64 alloc_failed;

	struct work_struct stats_work;
	struct virtio_balloon_stat stats[VA_BALLOON_S_NR];
	unsigned int num_stats;
	u64 stats_requests;
	u32 poison_val;

	struct page_reporting_dev_info report_info;
	struct mutex report_lock;	/* reports, counters, report_state */
	wait_queue_head_t reported;
	bool report_registered;
	enum va_breport_state report_state;
	u64 reports;
	u64 report_bytes;
	u64 report_failures;
	u64 report_refused;
	unsigned int report_recycled;
	struct va_bhint hint;

	struct dentry *debugfs;
};

/* balloon_stats.c */
void va_bstats_init(struct va_balloon *vb);
int va_bstats_start(struct va_balloon *vb);
void va_bstats_stop(struct va_balloon *vb);
void va_bstats_done(struct virtqueue *vq);
void va_bstats_show(struct va_balloon *vb, struct seq_file *s);

/* balloon_report.c */
void va_breport_init(struct va_balloon *vb);
int va_breport_start(struct va_balloon *vb);
void va_breport_stop(struct va_balloon *vb);
int va_breport_reset_vq(struct va_balloon *vb, unsigned int num);
void va_breport_done(struct virtqueue *vq);
void va_breport_show(struct va_balloon *vb, struct seq_file *s);
int va_breport_check_layout(struct va_balloon *vb);
/* balloon_hint.c */
void va_bhint_init(struct va_balloon *vb);
void va_bhint_start(struct va_balloon *vb);
void va_bhint_stop(struct va_balloon *vb);
void va_bhint_changed(struct va_balloon *vb);
void va_bhint_pause(struct va_balloon *vb);
void va_bhint_resume(struct va_balloon *vb);
void va_bhint_show(struct va_balloon *vb, struct seq_file *s);

#endif /* _VIRTIO_ALT_BALLOON_H */
