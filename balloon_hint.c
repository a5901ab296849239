// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_alt_balloon: free page hinting (virtio 1.3, 5.5.6.4).
 *
 * The device asks for hints by writing a new command id to
 * free_page_hint_cmd_id (QEMU does so during a migration's bulk stage). A
 * round answers one command id: the driver sends the id (an outbuf of 4
 * bytes), then takes blocks of free memory from the page allocator without
 * reclaim and gives each to the device as a device-writable buffer, until
 * the allocator has nothing free, a round holds as much as the guest's
 * memory, memory pressure takes pages back, or the device changes the id;
 * then it sends VIRTIO_BALLOON_CMD_ID_STOP. The blocks stay allocated (held)
 * until the device writes VIRTIO_BALLOON_CMD_ID_DONE, and go back to the
 * kernel sooner under memory pressure (a shrinker), on a queue reset that
 * loses them, and when the device goes away (remove, freeze).
 *
 * The command id is read only after a configuration change notification,
 * as the in-tree driver does: QEMU shows it only until the driver has sent
 * it back, and reads 0 (STOP) while the round it asked for runs.
 *
 * The device is untrusted: the command id is acted on only when it
 * changed; every buffer the device returns is matched
 * against what the driver gave it, and only driver state says what a
 * buffer was. One entry of the queue is always kept for STOP, so a round
 * can be closed even when the device takes no more buffers; a device that
 * returns nothing costs a bounded wait, never a hang or a leak.
 *
 * Page poisoning: hinted pages need no poison_val of their own. They are
 * allocated memory while held, and the spec makes their contents
 * uninitialized once hinted (the device may drop them), so writing
 * poison_val before hinting would be both lost and useless. They go back
 * through __free_pages(), whose free path writes PAGE_POISON (page_poison=1)
 * or zeroes (init_on_free=1) as for any freed page: that write both keeps
 * what the allocator checks on the next allocation and, for pages given
 * back before DONE, is the initialization 5.5.6.4.1 asks for.
 *
 * Context: the work runs on system_freezable_wq and holds hint.lock for one
 * bounded batch; it never takes vb->lock, so an inflate waiting on a slow
 * device does not hold hinting up, nor the other way round.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pageblock-flags.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

#include "balloon.h"
#include "compat.h"
#include "vq.h"

/*
 * Free memory only: no reclaim, no retry, no emergency reserves, no
 * warning when there is nothing left (that ends the round).
 */
#define VA_BHINT_GFP (__GFP_NORETRY | __GFP_NOWARN | __GFP_NOMEMALLOC)
/* Blocks hinted per run of the work; it queues itself again for more. */
#define VA_BHINT_BATCH 32
/* How long the device may leave the queue full before hinting gives up. */
#define VA_BHINT_STALL (5 * HZ)
/* How often to look again while waiting for the device to use buffers. */
#define VA_BHINT_RETRY (HZ / 50)
/* The work has nothing left to do until the device changes the id. */
#define VA_BHINT_IDLE ULONG_MAX

/*
 * A block is a pageblock (2 MiB on x86-64): a large block the allocator
 * hands out whole, at most the largest order on every kernel we build for.
 */
static unsigned int va_bhint_order(void)
{
	return pageblock_order;
}

/* 4 KiB units in one block. */
static unsigned long va_bhint_block_units(void)
{
	return (1UL << va_bhint_order()) * VA_BALLOON_PAGES_PER_PAGE;
}

static struct virtqueue *va_bhint_vq(struct va_balloon *vb)
{
	return vb->vqs[VA_BVQ_FREE_PAGE];
}

/* Queue the work unless updates or the queue are stopped. */
static void va_bhint_queue(struct va_balloon *vb, unsigned long delay)
{
	struct va_bhint *h = &vb->hint;
	unsigned long flags;

	spin_lock_irqsave(&vb->stop_lock, flags);
	if (!vb->stop_update && !h->paused && h->enabled)
		mod_delayed_work(system_freezable_wq, &h->work, delay);
	spin_unlock_irqrestore(&vb->stop_lock, flags);
}

/*
 * Give up to @max blocks back to the kernel; @pressure: for the shrinker.
 * Return how many went back. Any context that may free pages; takes only
 * hint.list_lock.
 */
static unsigned long va_bhint_return(struct va_balloon *vb, unsigned long max,
				     bool pressure)
{
	struct va_bhint *h = &vb->hint;
	unsigned long n = 0, units;
	struct page *page, *next;
	LIST_HEAD(back);

	spin_lock(&h->list_lock);
	while (n < max && !list_empty(&h->list)) {
		list_move(h->list.next, &back);
		n++;
	}
	units = n * va_bhint_block_units();
	h->held -= units;
	h->returned += units;
	if (pressure)
		h->shrunk += units;
	spin_unlock(&h->list_lock);

	/* The free path poisons or zeroes them as the kernel expects. */
	list_for_each_entry_safe(page, next, &back, lru) {
		list_del(&page->lru);
		__free_pages(page, va_bhint_order());
	}
	return n;
}

/*
 * Take back what the device used. A buffer is known by its token only:
 * the command id buffers by address, anything else is a block that stays
 * held until DONE. Return true if the device used anything.
 */
static bool va_bhint_harvest(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;
	struct virtqueue *vq = va_bhint_vq(vb);
	bool used = false;
	unsigned int len;
	void *tok;

	while ((tok = vaq_get_buf(vq, &len))) {
		used = true;
		if (tok == &h->start_buf)
			h->start_out = false;
		else if (tok == &h->stop_buf && h->stop_out)
			h->stop_out--;
	}
	if (used)
		h->stall_since = 0;
	return used;
}

/* The device takes no buffers; true once it has done so for too long. */
static bool va_bhint_stalled(struct va_bhint *h)
{
	if (!h->stall_since) {
		h->stall_since = jiffies ?: 1;
		return false;
	}
	return time_after(jiffies, h->stall_since + VA_BHINT_STALL);
}

/* Send a command id buffer (4 bytes, 5.5.6.4.1). */
static int va_bhint_send_id(struct va_balloon *vb, __virtio32 *buf)
{
	struct scatterlist sg;
	int err;

	sg_init_one(&sg, buf, sizeof(*buf));
	err = vaq_add_outbuf(va_bhint_vq(vb), &sg, 1, buf, GFP_KERNEL);
	if (err)
		dev_err_ratelimited(&vb->vdev->dev,
				    "free page queue: adding a command id: %d\n",
				    err);
	else
		vb->hint.kick = true;
	return err;
}

/*
 * Close the open round with STOP. The entry kept free for it is there
 * unless the queue is broken; the round is closed either way.
 */
static void va_bhint_end_round(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	h->round = false;
	if (!va_bhint_send_id(vb, &h->stop_buf))
		h->stop_out++;
}

/*
 * Open a round for h->seen_id: the id first, with an entry left for STOP.
 * Return 0, or the delay after which to try again while the device still
 * holds the previous round's id buffer (its contents are about to change).
 */
static unsigned long va_bhint_start_round(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;
	struct virtqueue *vq = va_bhint_vq(vb);

	if (h->start_out || vq->num_free < 2) {
		if (!va_bhint_stalled(h))
			return VA_BHINT_RETRY;
		h->stalls++;
		h->pending = false;
		dev_warn_ratelimited(&vb->vdev->dev,
				     "free page hinting: the device took no buffers for 5 s; command id %u dropped\n",
				     h->seen_id);
		return VA_BHINT_IDLE;
	}
	h->pending = false;
	h->start_buf = cpu_to_virtio32(vb->vdev, h->seen_id);
	if (va_bhint_send_id(vb, &h->start_buf))
		return VA_BHINT_IDLE;
	h->start_out = true;
	h->round = true;
	h->cmd_id = h->seen_id;
	h->round_blocks = 0;
	h->commands++;
	spin_lock(&h->list_lock);
	h->pressure = false;
	spin_unlock(&h->list_lock);
	return 0;
}

/*
 * Hint up to VA_BHINT_BATCH blocks. Return 0 to run again at once,
 * VA_BHINT_RETRY to wait for the device, or VA_BHINT_IDLE when the round
 * is over.
 */
static unsigned long va_bhint_fill(struct va_balloon *vb)
{
	unsigned long round_max = totalram_pages() >> va_bhint_order();
	struct virtqueue *vq = va_bhint_vq(vb);
	struct va_bhint *h = &vb->hint;
	struct scatterlist sg;
	struct page *page;
	bool pressure;
	unsigned int n;
	int err;

	for (n = 0; n < VA_BHINT_BATCH; n++) {
		spin_lock(&h->list_lock);
		pressure = h->pressure;
		spin_unlock(&h->list_lock);
		/* Taking back what the shrinker just freed would livelock. */
		if (pressure || h->round_blocks >= round_max)
			break;
		/* One entry stays free for STOP. */
		if (vq->num_free < 2) {
			if (!va_bhint_stalled(h))
				return VA_BHINT_RETRY;
			h->stalls++;
			dev_warn_ratelimited(&vb->vdev->dev,
					     "free page hinting: the device took no buffers for 5 s; round %u ended\n",
					     h->cmd_id);
			break;
		}
		page = alloc_pages(VA_BHINT_GFP, va_bhint_order());
		if (!page)
			break;
		sg_init_table(&sg, 1);
		sg_set_page(&sg, page, PAGE_SIZE << va_bhint_order(), 0);
		err = vaq_add_inbuf(vq, &sg, 1, page, GFP_KERNEL);
		if (err) {
			__free_pages(page, va_bhint_order());
			dev_err_ratelimited(&vb->vdev->dev,
					    "free page queue: adding a block: %d\n",
					    err);
			break;
		}
		h->kick = true;
		spin_lock(&h->list_lock);
		list_add(&page->lru, &h->list);
		h->held += va_bhint_block_units();
		spin_unlock(&h->list_lock);
		h->hinted += va_bhint_block_units();
		h->round_blocks++;
	}
	if (n == VA_BHINT_BATCH)
		return 0;
	va_bhint_end_round(vb);
	return VA_BHINT_IDLE;
}

/* One step of the protocol for the id just read; hint.lock held. */
static unsigned long va_bhint_step(struct va_balloon *vb, u32 id)
{
	struct va_bhint *h = &vb->hint;
	bool changed = id != h->seen_id;

	h->seen_id = id;
	/* STOP, DONE or a new id: the open round is over (5.5.6.4). */
	if (h->round && id != h->cmd_id)
		va_bhint_end_round(vb);
	switch (id) {
	case VIRTIO_BALLOON_CMD_ID_DONE:
		if (changed)
			h->dones++;
		h->pending = false;
		/* The device is done with every hint: give them all back. */
		va_bhint_return(vb, ULONG_MAX, false);
		return VA_BHINT_IDLE;
	case VIRTIO_BALLOON_CMD_ID_STOP:
		/* Stop hinting but keep the pages (5.5.6.4). */
		h->pending = false;
		return VA_BHINT_IDLE;
	}
	/*
	 * Any other value is a command id. Act on it once: an id read again
	 * (a config change for num_pages, a round already ended) is no new
	 * request; the device must not reuse one before our STOP anyway.
	 */
	if (changed)
		h->pending = true;
	if (h->pending)
		return va_bhint_start_round(vb) ?: va_bhint_fill(vb);
	if (h->round)
		return va_bhint_fill(vb);
	return VA_BHINT_IDLE;
}

static void va_bhint_work(struct work_struct *work)
{
	struct va_bhint *h = container_of(to_delayed_work(work),
					  struct va_bhint, work);
	struct va_balloon *vb = container_of(h, struct va_balloon, hint);
	struct virtqueue *vq = va_bhint_vq(vb);
	unsigned long delay;
	bool reread;
	u32 id;

	mutex_lock(&h->lock);
	if (vaq_is_broken(vq)) {
		h->round = false;
		h->pending = false;
		mutex_unlock(&h->lock);
		return;
	}
	va_bhint_harvest(vb);
	spin_lock_irq(&vb->stop_lock);
	reread = h->reread;
	h->reread = false;
	spin_unlock_irq(&vb->stop_lock);
	id = h->seen_id;
	/* Little-endian even for a legacy device (5.5.4.1). */
	if (reread)
		virtio_cread_le(vb->vdev, struct virtio_balloon_config,
				free_page_hint_cmd_id, &id);
	delay = va_bhint_step(vb, id);
	if (h->kick) {
		h->kick = false;
		vaq_kick(vq);
	}
	mutex_unlock(&h->lock);
	if (delay != VA_BHINT_IDLE)
		va_bhint_queue(vb, delay);
}

static unsigned long va_bhint_count(struct shrinker *s,
				    struct shrink_control *sc)
{
	struct va_balloon *vb = va_shrinker_priv(s);
	unsigned long pages = READ_ONCE(vb->hint.held) /
			      VA_BALLOON_PAGES_PER_PAGE;

	return pages ?: SHRINK_EMPTY;
}

static unsigned long va_bhint_scan(struct shrinker *s,
				   struct shrink_control *sc)
{
	struct va_balloon *vb = va_shrinker_priv(s);
	unsigned long per = 1UL << va_bhint_order();
	unsigned long blocks;

	spin_lock(&vb->hint.list_lock);
	vb->hint.pressure = true;
	spin_unlock(&vb->hint.list_lock);
	blocks = va_bhint_return(vb, DIV_ROUND_UP(sc->nr_to_scan, per), true);
	return blocks ? blocks * per : SHRINK_STOP;
}

/**
 * va_bhint_init() - prepare a balloon's free page hinting state
 * @vb: the balloon, being probed
 *
 * Virtio 1.3, 5.5.6.4. Hinting is off until va_bhint_start().
 *
 * Context: probe, before the queues exist.
 */
void va_bhint_init(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	INIT_DELAYED_WORK(&h->work, va_bhint_work);
	mutex_init(&h->lock);
	spin_lock_init(&h->list_lock);
	INIT_LIST_HEAD(&h->list);
}

/**
 * va_bhint_start() - start following the device's command ids
 * @vb: the balloon, after DRIVER_OK
 *
 * Virtio 1.3, 5.5.6.4. With VIRTIO_BALLOON_F_FREE_PAGE_HINT, registers the
 * shrinker for held pages and reads the command id once (the device may
 * have set one already). Hinting stays off, with a warning, when the
 * queue has fewer than two entries (one is kept for STOP) or the shrinker
 * cannot be registered (held pages must go back under pressure); the
 * balloon works on without it.
 *
 * Context: process context (probe, restore); no balloon lock held.
 */
void va_bhint_start(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;
	struct virtqueue *vq = va_bhint_vq(vb);

	if (!virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_FREE_PAGE_HINT) ||
	    !vq)
		return;
	if (vaq_vring_size(vq) < 2) {
		dev_warn(&vb->vdev->dev,
			 "free page queue has %u entries, needs 2; no free page hinting\n",
			 vaq_vring_size(vq));
		return;
	}
	h->shrinker = va_shrinker_create(va_bhint_count, va_bhint_scan, vb,
					 dev_name(&vb->vdev->dev));
	if (!h->shrinker) {
		dev_warn(&vb->vdev->dev,
			 "registering the shrinker failed; no free page hinting\n");
		return;
	}
	mutex_lock(&h->lock);
	h->seen_id = VIRTIO_BALLOON_CMD_ID_STOP;
	h->cmd_id = VIRTIO_BALLOON_CMD_ID_STOP;
	h->stop_buf = cpu_to_virtio32(vb->vdev, VIRTIO_BALLOON_CMD_ID_STOP);
	h->round = false;
	h->pending = false;
	h->start_out = false;
	h->stop_out = 0;
	h->stall_since = 0;
	mutex_unlock(&h->lock);
	spin_lock_irq(&vb->stop_lock);
	h->enabled = true;
	h->paused = false;
	h->reread = true;
	spin_unlock_irq(&vb->stop_lock);
	/* Updates may still be stopped (restore): queue this one directly. */
	mod_delayed_work(system_freezable_wq, &h->work, 0);
}

/**
 * va_bhint_stop() - end hinting and give every held page back
 * @vb: the balloon; its device reset, its queues not yet deleted
 *
 * Virtio 1.3, 5.5.6.4.1: the driver may release hinted pages at any time.
 * After this the work does not run and the shrinker is gone; the pages go
 * back through the kernel's free path. Does nothing if hinting is off.
 *
 * Context: process context, may sleep (remove, freeze); updates stopped.
 */
void va_bhint_stop(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	if (!h->enabled)
		return;
	spin_lock_irq(&vb->stop_lock);
	h->enabled = false;
	spin_unlock_irq(&vb->stop_lock);
	cancel_delayed_work_sync(&h->work);
	va_shrinker_destroy(h->shrinker);
	h->shrinker = NULL;
	va_bhint_return(vb, ULONG_MAX, false);
	mutex_lock(&h->lock);
	h->round = false;
	h->pending = false;
	h->start_out = false;
	h->stop_out = 0;
	mutex_unlock(&h->lock);
}

/**
 * va_bhint_changed() - the configuration changed: look at the command id
 * @vb: the balloon
 *
 * Virtio 1.3, 5.5.6.4: the device asks for hints, or ends them, through
 * free_page_hint_cmd_id; the work reads it once for this notification.
 *
 * Context: any, including interrupt; vb->stop_lock held, updates not
 * stopped.
 */
void va_bhint_changed(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	if (!h->enabled)
		return;
	h->reread = true;
	if (!h->paused)
		mod_delayed_work(system_freezable_wq, &h->work, 0);
}

/**
 * va_bhint_pause() - hold hinting while the free page queue is reset
 * @vb: the balloon
 *
 * Virtio 1.3, 2.6.1 (queue reset). After this the work does not run until
 * va_bhint_resume().
 *
 * Context: process context, may sleep; vb->lock not held.
 */
void va_bhint_pause(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	spin_lock_irq(&vb->stop_lock);
	h->paused = true;
	spin_unlock_irq(&vb->stop_lock);
	cancel_delayed_work_sync(&h->work);
}

/**
 * va_bhint_resume() - carry on after a reset of the free page queue
 * @vb: the balloon
 *
 * Virtio 1.3, 5.5.6.4.1: the reset took every buffer back, so an open
 * round is closed with STOP on the fresh queue; held pages stay held until
 * DONE.
 *
 * Context: process context; vb->lock not held.
 */
void va_bhint_resume(struct va_balloon *vb)
{
	struct va_bhint *h = &vb->hint;

	mutex_lock(&h->lock);
	h->start_out = false;
	h->stop_out = 0;
	h->stall_since = 0;
	if (h->enabled && h->round) {
		va_bhint_end_round(vb);
		if (h->kick) {
			h->kick = false;
			vaq_kick(va_bhint_vq(vb));
		}
	}
	mutex_unlock(&h->lock);
	spin_lock_irq(&vb->stop_lock);
	h->paused = false;
	spin_unlock_irq(&vb->stop_lock);
	va_bhint_queue(vb, 0);
}

/**
 * va_bhint_show() - print the hinting counters
 * @vb: the balloon
 * @s: the debugfs file
 *
 * Virtio 1.3, 5.5.6.4. Page counts are in 4 KiB units. Prints nothing
 * without VIRTIO_BALLOON_F_FREE_PAGE_HINT.
 *
 * Context: process context; takes hint.lock and hint.list_lock.
 */
void va_bhint_show(struct va_balloon *vb, struct seq_file *s)
{
	struct va_bhint *h = &vb->hint;

	if (!virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_FREE_PAGE_HINT))
		return;
	mutex_lock(&h->lock);
	seq_printf(s, "hint_enabled: %d\nhint_cmd_id: %u\nhint_round: %d\n",
		   h->enabled, h->seen_id, h->round);
	seq_printf(s, "hint_commands: %llu\nhint_done: %llu\nhint_stalls: %llu\n",
		   h->commands, h->dones, h->stalls);
	seq_printf(s, "hint_pages: %llu\n", h->hinted);
	spin_lock(&h->list_lock);
	seq_printf(s, "hint_held: %llu\nhint_returned: %llu\nhint_shrunk: %llu\n",
		   h->held, h->returned, h->shrunk);
	spin_unlock(&h->list_lock);
	mutex_unlock(&h->lock);
}
