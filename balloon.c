// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_alt_balloon: the traditional memory balloon (virtio 1.3, 5.5).
 *
 * Follows the device's num_pages by inflating (giving pages to the device)
 * and deflating (taking them back), and reports the balloon size in actual.
 * Pages leave the managed page count while in the balloon, as in the in-tree
 * driver without VIRTIO_BALLOON_F_DEFLATE_ON_OOM, so MemTotal shows the
 * ballooned size. Ballooned pages stay movable through the kernel's balloon
 * compaction API.
 *
 * Binds only devices of this module's transports; queues go through vq.h,
 * so the ring= parameter moves the driver between the alt and in-tree rings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/balloon_compaction.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/oom.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "balloon.h"
#include "compat.h"
#include "transport.h"
#include "vq.h"

/* How long the device has to return a buffer of page numbers. */
#define VA_BALLOON_ACK_TIMEOUT (30 * HZ)
/* 4 KiB pages given back per out-of-memory call, as the in-tree driver. */
#define VA_BALLOON_OOM_PAGES 256

/* Balloon feature names, for balloon_decline= and debugfs. */
static const char * const va_bfeature_names[] = {
	[VIRTIO_BALLOON_F_MUST_TELL_HOST]	= "must_tell_host",
	[VIRTIO_BALLOON_F_STATS_VQ]		= "stats_vq",
	[VIRTIO_BALLOON_F_DEFLATE_ON_OOM]	= "deflate_on_oom",
	[VIRTIO_BALLOON_F_FREE_PAGE_HINT]	= "free_page_hint",
	[VIRTIO_BALLOON_F_PAGE_POISON]		= "page_poison",
	[VIRTIO_BALLOON_F_REPORTING]		= "reporting",
};

static u64 va_decline;

/*
 * A module parameter taking one name of a list (sysfs_match_string(), so a
 * trailing newline is fine); the value is the name's index.
 */
struct va_choice {
	const char * const *names;
	unsigned int num;
	const char *expected;
	int *value;
};

static int va_choice_set(const char *val, const struct kernel_param *kp)
{
	const struct va_choice *c = kp->arg;
	int i = __sysfs_match_string(c->names, c->num, val);

	if (i < 0) {
		pr_err("%s: '%.64s' is not one of %s\n", kp->name, val,
		       c->expected);
		return -EINVAL;
	}
	WRITE_ONCE(*c->value, i);
	return 0;
}

static int va_choice_get(char *buf, const struct kernel_param *kp)
{
	const struct va_choice *c = kp->arg;

	return sysfs_emit(buf, "%s\n", c->names[READ_ONCE(*c->value)]);
}

static const struct kernel_param_ops va_choice_ops = {
	.set = va_choice_set,
	.get = va_choice_get,
};

static int va_numbering = VA_NUMBER_OFFERED;
static struct va_choice va_numbering_choice = {
	.names = va_balloon_numbering_names,
	.num = VA_NUMBER_MAX,
	.expected = "offered, negotiated, spec",
	.value = &va_numbering,
};
module_param_cb(balloon_numbering, &va_choice_ops, &va_numbering_choice,
		0644);
MODULE_PARM_DESC(balloon_numbering,
		 "how balloon queues are numbered (virtio 1.3, 5.5.2), for devices probed from then on: offered (default; dense over the queue features the device offers, as QEMU does), negotiated (dense over the negotiated ones, the in-tree rule), spec (fixed: stats 2, free page 3, reporting 4)");

/* balloon_conflict=: what to do with a queue the numbering rule misplaces. */
enum { VA_CONFLICT_DECLINE, VA_CONFLICT_USE };

static const char * const va_conflict_names[] = {
	[VA_CONFLICT_DECLINE] = "decline",
	[VA_CONFLICT_USE] = "use",
};

static int va_conflict = VA_CONFLICT_DECLINE;
static struct va_choice va_conflict_choice = {
	.names = va_conflict_names,
	.num = ARRAY_SIZE(va_conflict_names),
	.expected = "decline, use",
	.value = &va_conflict,
};
module_param_cb(balloon_conflict, &va_choice_ops, &va_conflict_choice, 0644);
MODULE_PARM_DESC(balloon_conflict,
		 "when balloon_numbering is not offered and puts a queue elsewhere than a device numbering over offered features (QEMU) has it, for devices probed from then on: decline (default; the queue's feature is declined and the probe says so) or use (the queue is used at that index, as a driver numbering so would: buffers reach whatever the device has there)");

/* Parse a comma-separated list of balloon feature names into bits. */
static int va_decline_parse(const char *val, u64 *bits)
{
	char *list, *cur, *tok;
	int err = 0, f;

	*bits = 0;
	list = kstrdup(val, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = strim(list);
	if (!strcmp(cur, "none"))
		goto out;
	while ((tok = strsep(&cur, ",")) && !err) {
		tok = strim(tok);
		if (!*tok)
			continue;
		f = match_string(va_bfeature_names,
				 ARRAY_SIZE(va_bfeature_names), tok);
		if (f < 0) {
			pr_err("balloon_decline: unknown feature '%.64s'; expected a comma-separated list of must_tell_host, stats_vq, deflate_on_oom, free_page_hint, page_poison, reporting, or none\n",
			       tok);
			err = -EINVAL;
			break;
		}
		*bits |= BIT_ULL(f);
	}
out:
	kfree(list);
	return err;
}

static int va_decline_set(const char *val, const struct kernel_param *kp)
{
	u64 bits;
	int err = va_decline_parse(val, &bits);

	if (err)
		return err;
	WRITE_ONCE(va_decline, bits);
	return 0;
}

static int va_decline_get(char *buf, const struct kernel_param *kp)
{
	u64 bits = READ_ONCE(va_decline);
	int len = 0;
	unsigned int f;

	for (f = 0; f < ARRAY_SIZE(va_bfeature_names); f++)
		if (bits & BIT_ULL(f))
			len += sysfs_emit_at(buf, len, "%s%s", len ? "," : "",
					     va_bfeature_names[f]);
	return len + sysfs_emit_at(buf, len, "%s\n", len ? "" : "none");
}

static const struct kernel_param_ops va_decline_ops = {
	.set = va_decline_set,
	.get = va_decline_get,
};
module_param_cb(balloon_decline, &va_decline_ops, NULL, 0644);
MODULE_PARM_DESC(balloon_decline,
		 "balloon features to decline even when the device offers them, for devices probed from then on: comma-separated must_tell_host, stats_vq, deflate_on_oom, free_page_hint, page_poison, reporting, or none (default)");

/* Take every used buffer; return how many. */
static unsigned int va_take_used(struct virtqueue *vq, unsigned int *len)
{
	unsigned int n = 0;

	while (vaq_get_buf(vq, len))
		n++;
	return n;
}

static void va_balloon_ack(struct virtqueue *vq)
{
	struct va_balloon *vb = vq->vdev->priv;

	wake_up(&vb->acked);
}

/*
 * With VIRTIO_BALLOON_F_DEFLATE_ON_OOM the balloon is only borrowed: its
 * pages stay in the managed page count (MemTotal), as in the in-tree
 * driver, because the kernel may take them back at any time.
 */
static bool va_counts_managed(struct va_balloon *vb)
{
	return !virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM);
}

/*
 * adjust_managed_page_count() by @delta for each page on @pages, once per
 * run of pages in the same zone (the managed count is per zone).
 */
static void va_adjust_managed(struct list_head *pages, long delta)
{
	struct page *page, *first = NULL;
	long n = 0;

	list_for_each_entry(page, pages, lru) {
		if (n && page_zone(page) != page_zone(first)) {
			adjust_managed_page_count(first, n);
			n = 0;
		}
		if (!n)
			first = page;
		n += delta;
	}
	if (n)
		adjust_managed_page_count(first, n);
}

/* Give the pages on @pages, out of the balloon, back to the system. */
static void va_release_pages(struct va_balloon *vb, struct list_head *pages)
{
	if (va_counts_managed(vb))
		va_adjust_managed(pages, 1);
	put_pages_list(pages);	/* the balloon's references; empties @pages */
}

/*
 * Wait until the device used every buffer of the request in flight on
 * queue @q (VA_BVQ_INFLATE or VA_BVQ_DEFLATE), if there is one: 5.5.6, the
 * device acknowledges page numbers by using their buffers. The pages of a
 * deflate request go back to the system then; with a dead device at once
 * (its buffers stay in the ring until a queue reset or the device reset
 * takes them back). A device that breaks the queue or does not answer in
 * VA_BALLOON_ACK_TIMEOUT makes the balloon dead: it does no more work
 * until removed. vb->lock held.
 */
static void va_settle(struct va_balloon *vb, unsigned int q)
{
	struct virtqueue *vq = vb->vqs[q];
	unsigned int len;
	long left;

	if (!vb->in_flight_pages[q])
		return;
	if (vb->pending[q] && !vb->dead) {
		left = wait_event_timeout(vb->acked,
					  !(vb->pending[q] -=
					    va_take_used(vq, &len)) ||
					  vaq_is_broken(vq),
					  VA_BALLOON_ACK_TIMEOUT);
		if (!left || vb->pending[q]) {
			dev_err(&vb->vdev->dev,
				"%s queue: device %s; balloon stopped until the device is removed\n",
				vq->name, left ? "broke the queue" :
				"did not return the page numbers within 30 s");
			vb->dead = true;
		}
	}
	vb->in_flight_pages[q] = 0;
	if (q == VA_BVQ_DEFLATE)
		va_release_pages(vb, &vb->deflating);
}

/* Both page queues settled: nothing of ours in flight. vb->lock held. */
static void va_settle_all(struct va_balloon *vb)
{
	va_settle(vb, VA_BVQ_INFLATE);
	va_settle(vb, VA_BVQ_DEFLATE);
}

/*
 * Make the page numbers in vb->pfns available on queue @q,
 * VA_BALLOON_PFNS_MAX to a buffer, with one notification (several buffers
 * per notification let the device's event suppression save exits), and
 * return without waiting: the next request is prepared while the device
 * works on this one. Whatever was in flight is settled first, on both
 * queues: the device may handle its queues in any order, and a page must
 * not be deflated before its inflate was seen. vb->pfns then moves to the
 * other half of vb->pfn_halves. Returns false if the balloon is dead.
 * vb->lock held.
 */
static bool va_submit(struct va_balloon *vb, unsigned int q)
{
	struct virtqueue *vq = vb->vqs[q];
	unsigned int n, nbufs = 0;
	struct scatterlist sg;
	int err;

	va_settle_all(vb);
	if (vb->dead)
		return false;
	for (n = 0; n < vb->num_pfns; n += VA_BALLOON_PFNS_MAX, nbufs++) {
		sg_init_one(&sg, &vb->pfns[n], sizeof(vb->pfns[0]) *
			    min(vb->num_pfns - n, VA_BALLOON_PFNS_MAX));
		err = vaq_add_outbuf(vq, &sg, 1, vb, GFP_KERNEL);
		if (err) {
			dev_err(&vb->vdev->dev,
				"%s queue: adding page numbers: %d\n",
				vq->name, err);
			vb->dead = true;
			/* What was added stays for a reset to take back. */
			vb->pending[q] = nbufs;
			return false;
		}
	}
	vaq_kick(vq);
	vb->pending[q] = nbufs;
	vb->in_flight_pages[q] = vb->num_pfns;
	vb->pfns = vb->pfns == vb->pfn_halves[0] ? vb->pfn_halves[1] :
						    vb->pfn_halves[0];
	vb->num_pfns = 0;
	return true;
}

/*
 * Give the device the page numbers in vb->pfns on queue @q and wait until
 * it used them all. Returns false if the balloon is dead. vb->lock held.
 */
static bool va_tell_host(struct va_balloon *vb, unsigned int q)
{
	if (!va_submit(vb, q))
		return false;
	va_settle(vb, q);
	return !vb->dead;
}

static void va_set_pfns(struct va_balloon *vb, struct page *page)
{
	unsigned long pfn = page_to_pfn(page) << (PAGE_SHIFT -
						  VIRTIO_BALLOON_PFN_SHIFT);
	unsigned int i;

	for (i = 0; i < VA_BALLOON_PAGES_PER_PAGE; i++)
		vb->pfns[vb->num_pfns++] = cpu_to_virtio32(vb->vdev, pfn + i);
}

/*
 * The batch page allocator's list variant (5.13 to 6.13; 6.14 kept only
 * the array one): pages on @list, the count added returned. Kbuild defines
 * VA_HAVE_ALLOC_PAGES_BULK_LIST from the header; without it, one page per
 * call, through the same single-page path the batch allocator falls back
 * to. (Here rather than in compat.h, which the userspace ring builds
 * include.)
 */
#ifdef VA_HAVE_ALLOC_PAGES_BULK_LIST
#define va_alloc_pages_bulk_list(gfp, nr, list) \
	alloc_pages_bulk_list(gfp, nr, list)
#else
static inline unsigned long va_alloc_pages_bulk_list(gfp_t gfp,
						     unsigned long nr,
						     struct list_head *list)
{
	struct page *page = nr ? alloc_page(gfp) : NULL;

	if (!page)
		return 0;
	list_add(&page->lru, list);
	return 1;
}
#endif

/* What balloon_page_alloc() asks for. */
#define VA_BALLOON_GFP (balloon_mapping_gfp_mask() | __GFP_NOMEMALLOC | \
			__GFP_NORETRY | __GFP_NOWARN)

/*
 * Inflate by up to @num 4 KiB pages; return how many went in. The kernel's
 * batch helpers take the page allocator's and the balloon list's locks
 * once for many pages, not once per page. The request is left in flight:
 * the pages of the next one are allocated while the device discards these.
 */
static unsigned int va_fill(struct va_balloon *vb, unsigned int num)
{
	unsigned int done, want, got, n;
	struct page *page;
	LIST_HEAD(pages);

	num = min(num, vb->bufs * VA_BALLOON_PFNS_MAX);
	want = num / VA_BALLOON_PAGES_PER_PAGE;
	/*
	 * Allocate outside the lock: allocation may compact our own pages.
	 * The batch allocator falls back to the single-page path (reclaim,
	 * fault injection) when it cannot serve the batch; 0 is a failure.
	 */
	for (got = 0; got < want; got += n) {
		n = va_alloc_pages_bulk_list(VA_BALLOON_GFP, want - got, &pages);
		if (!n) {
			vb->alloc_failed++;
			/* In 4 KiB pages, as num. */
			got *= VA_BALLOON_PAGES_PER_PAGE;
			dev_info_ratelimited(&vb->vdev->dev,
					     "out of memory after %u of %u pages\n",
					     got, num);
			/* Let the system find memory before the next try. */
			msleep(200);
			break;
		}
	}

	mutex_lock(&vb->lock);
	vb->num_pfns = 0;
	list_for_each_entry(page, &pages, lru)
		va_set_pfns(vb, page);
	if (va_counts_managed(vb))
		va_adjust_managed(&pages, -1);
	balloon_page_list_enqueue(&vb->b_dev_info, &pages);
	done = vb->num_pfns;
	vb->num_pages += done;
	vb->inflated += done;
	if (done)
		va_submit(vb, VA_BVQ_INFLATE);
	mutex_unlock(&vb->lock);
	return done;
}

/*
 * Deflate by up to @num 4 KiB pages; return how many came out. 5.5.6.1:
 * with VIRTIO_BALLOON_F_MUST_TELL_HOST the device must hear of the pages
 * before they are used; we always tell it first, and the pages go back to
 * the system once it used the request (va_settle()): at once if @wait,
 * else while the next request is prepared. A dead device is not told, and
 * the pages come back all the same. Pages isolated for migration stay.
 */
static unsigned int va_leak(struct va_balloon *vb, unsigned int num,
			    bool wait)
{
	struct page *page;
	unsigned int done;
	LIST_HEAD(pages);

	mutex_lock(&vb->lock);
	num = min3(num, vb->num_pages, vb->bufs * VA_BALLOON_PFNS_MAX);
	balloon_page_list_dequeue(&vb->b_dev_info, &pages,
				  num / VA_BALLOON_PAGES_PER_PAGE);
	vb->num_pfns = 0;
	list_for_each_entry(page, &pages, lru)
		va_set_pfns(vb, page);
	done = vb->num_pfns;
	vb->num_pages -= done;
	vb->deflated += done;
	if (done) {
		/*
		 * Settle the request in flight before these pages join
		 * vb->deflating: settling gives back what is on that list.
		 */
		va_settle_all(vb);
		list_splice_init(&pages, &vb->deflating);
		va_submit(vb, VA_BVQ_DEFLATE);
		if (wait)
			va_settle(vb, VA_BVQ_DEFLATE);
	}
	/* A dead balloon: nothing was submitted. */
	if (vb->dead)
		va_release_pages(vb, &vb->deflating);
	mutex_unlock(&vb->lock);
	return done;
}

static s64 va_towards_target(struct va_balloon *vb)
{
	u32 target;

	virtio_cread_le(vb->vdev, struct virtio_balloon_config, num_pages,
			&target);
	/*
	 * The target is untrusted; it cannot exceed what we could give: the
	 * managed pages, plus those in the balloon when they left the count.
	 */
	target = min_t(u64, target, totalram_pages() * VA_BALLOON_PAGES_PER_PAGE +
		       (va_counts_managed(vb) ? vb->num_pages : 0));
	/* Whole kernel pages, or a 4 KiB remainder would never settle. */
	target = ALIGN(target, VA_BALLOON_PAGES_PER_PAGE);
	return (s64)target - vb->num_pages;
}

/*
 * 5.5.6: actual is what the device has acknowledged: not the pages of an
 * inflate request in flight, still those of a deflate request in flight.
 */
static void va_update_actual(struct va_balloon *vb)
{
	u32 actual;

	mutex_lock(&vb->lock);
	actual = vb->num_pages - vb->in_flight_pages[VA_BVQ_INFLATE] +
		 vb->in_flight_pages[VA_BVQ_DEFLATE];
	mutex_unlock(&vb->lock);
	virtio_cwrite_le(vb->vdev, struct virtio_balloon_config, actual,
			 &actual);
}

/*
 * One round towards the target: at most one request of vb->bufs buffers
 * (4 MiB with 4 KiB pages), so a huge target never holds the worker for
 * long; the work queues itself again until the target is met. Each round
 * leaves its request in flight and settles the previous one; the last
 * round settles its own, so that actual reaches the target.
 */
static void va_update_work(struct work_struct *work)
{
	struct va_balloon *vb = container_of(work, struct va_balloon,
					     update_work);
	s64 diff;

	if (vb->dead)
		return;
	diff = va_towards_target(vb);
	/*
	 * Pages the kernel took back on out-of-memory stay out until the
	 * device asks again (a configuration change); refilling at once
	 * would take them from the task that needed them, round after round.
	 */
	if (diff > 0 && READ_ONCE(vb->oom_hold))
		diff = 0;
	if (diff > 0)
		diff -= va_fill(vb, diff);
	else if (diff < 0)
		diff += va_leak(vb, -diff, false);
	if (!diff || vb->dead) {
		mutex_lock(&vb->lock);
		va_settle_all(vb);
		mutex_unlock(&vb->lock);
	}
	va_update_actual(vb);
	if (diff && !vb->dead)
		queue_work(system_freezable_wq, work);
}

static void va_balloon_changed(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&vb->stop_lock, flags);
	if (!vb->stop_update) {
		queue_work(system_freezable_wq, &vb->update_work);
		va_bhint_changed(vb);
	}
	spin_unlock_irqrestore(&vb->stop_lock, flags);
}

/* A configuration change: the device may want the balloon to grow again. */
static void va_balloon_config_changed(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;

	WRITE_ONCE(vb->oom_hold, false);
	va_balloon_changed(vdev);
}

/*
 * 5.5.6.1: with VIRTIO_BALLOON_F_DEFLATE_ON_OOM the driver may take pages
 * back when the guest runs out of memory; the kernel calls this before
 * choosing a task to kill, and kills nothing if *parm grew.
 */
static int va_balloon_oom(struct notifier_block *nb, unsigned long unused,
			  void *parm)
{
	struct va_balloon *vb = container_of(nb, struct va_balloon, oom_nb);
	unsigned long *freed = parm;
	unsigned int got;

	got = va_leak(vb, VA_BALLOON_OOM_PAGES, true);
	if (!got)
		return NOTIFY_OK;
	vb->oom_deflated += got;
	WRITE_ONCE(vb->oom_hold, true);
	*freed += got / VA_BALLOON_PAGES_PER_PAGE;
	if (!vb->dead)
		va_update_actual(vb);
	dev_info_ratelimited(&vb->vdev->dev,
			     "out of memory: gave back %u pages, %u left in the balloon\n",
			     got, vb->num_pages);
	return NOTIFY_OK;
}

#ifdef CONFIG_BALLOON_COMPACTION
/*
 * Compaction moves a ballooned page: put @newpage in the balloon and tell
 * the device, then take @page out and tell the device (the in-tree order).
 */
static int va_migratepage(struct balloon_dev_info *b_dev_info,
			  struct page *newpage, struct page *page,
			  enum migrate_mode mode)
{
	struct va_balloon *vb = container_of(b_dev_info, struct va_balloon,
					     b_dev_info);
	unsigned long flags;

	/* Do not wait: fill may be compacting while holding the lock. */
	if (!mutex_trylock(&vb->lock))
		return -EAGAIN;
	if (vb->dead) {
		mutex_unlock(&vb->lock);
		return -EAGAIN;
	}
	get_page(newpage);	/* the balloon's reference */
	if (va_counts_managed(vb) && page_zone(page) != page_zone(newpage)) {
		adjust_managed_page_count(page, 1);
		adjust_managed_page_count(newpage, -1);
	}
	spin_lock_irqsave(&b_dev_info->pages_lock, flags);
	balloon_page_insert(b_dev_info, newpage);
	b_dev_info->isolated_pages--;
	__count_vm_event(BALLOON_MIGRATE);
	spin_unlock_irqrestore(&b_dev_info->pages_lock, flags);

	vb->num_pfns = 0;
	va_set_pfns(vb, newpage);
	va_tell_host(vb, VA_BVQ_INFLATE);
	vb->num_pfns = 0;
	va_set_pfns(vb, page);
	va_tell_host(vb, VA_BVQ_DEFLATE);
	vb->migrated++;
	mutex_unlock(&vb->lock);

	balloon_page_finalize(page);
	put_page(page);		/* the balloon's reference */
	return MIGRATEPAGE_SUCCESS;
}
#endif

/* Buffers per request: no more than either queue holds. */
static void va_set_bufs(struct va_balloon *vb)
{
	vb->bufs = min3(VA_BALLOON_BUFS,
			vaq_vring_size(vb->vqs[VA_BVQ_INFLATE]),
			vaq_vring_size(vb->vqs[VA_BVQ_DEFLATE]));
}

static void va_balloon_recycle(struct virtqueue *vq, void *buf)
{
	struct va_balloon *vb = vq->vdev->priv;

	vb->recycled++;
}

static bool va_idle(struct virtqueue *vq)
{
	return vq->num_free == vaq_vring_size(vq) && !vaq_is_broken(vq);
}

/*
 * The debugfs action queue_reset (struct vtr_driver.reset_vq): the request
 * in flight, if any, is settled first under vb->lock; only one the device
 * never answered (the balloon is dead then) is left, and its buffers come
 * back here; with both page queues empty and sound again, the balloon
 * resumes. The statistics queue gets its buffer back at once.
 */
static int va_balloon_reset_vq(struct virtio_device *vdev,
			       struct virtqueue *vq, unsigned int num)
{
	struct va_balloon *vb = vdev->priv;
	bool stats = vq == vb->vqs[VA_BVQ_STATS];
	bool hint = vq == vb->vqs[VA_BVQ_FREE_PAGE];
	unsigned int recycled;
	bool revived = false;
	int err;

	if (vq == vb->vqs[VA_BVQ_REPORTING])
		return va_breport_reset_vq(vb, num);
	if (stats)
		va_bstats_stop(vb);
	if (hint)
		va_bhint_pause(vb);
	mutex_lock(&vb->lock);
	/* A live device answers first; a dead one's pages come back now. */
	va_settle_all(vb);
	vb->recycled = 0;
	err = vaq_reset(vq, num, va_balloon_recycle);
	recycled = vb->recycled;
	if (vq == vb->vqs[VA_BVQ_INFLATE])
		vb->pending[VA_BVQ_INFLATE] = 0;
	else if (vq == vb->vqs[VA_BVQ_DEFLATE])
		vb->pending[VA_BVQ_DEFLATE] = 0;
	va_set_bufs(vb);
	if (vb->dead && va_idle(vb->vqs[VA_BVQ_INFLATE]) &&
	    va_idle(vb->vqs[VA_BVQ_DEFLATE])) {
		vb->dead = false;
		revived = true;
	}
	mutex_unlock(&vb->lock);
	if (stats)
		va_bstats_start(vb);
	if (hint)
		va_bhint_resume(vb);
	if (err)
		return err;
	dev_info(&vdev->dev,
		 "%s queue reset: %u entries, %u buffers returned%s\n",
		 vq->name, vaq_vring_size(vq), recycled,
		 revived ? "; the balloon works again" : "");
	if (revived)
		va_balloon_changed(vdev);
	return 0;
}

static void va_show_features(struct seq_file *s, const char *what, u64 bits)
{
	unsigned int f;

	seq_printf(s, "%s:", what);
	for (f = 0; f < ARRAY_SIZE(va_bfeature_names); f++)
		if (bits & BIT_ULL(f))
			seq_printf(s, " %s", va_bfeature_names[f]);
	seq_puts(s, bits & GENMASK_ULL(ARRAY_SIZE(va_bfeature_names) - 1, 0) ?
		 "\n" : " none\n");
}

static int va_balloon_show(struct seq_file *s, void *unused)
{
	struct va_balloon *vb = s->private;
	u64 mask = GENMASK_ULL(ARRAY_SIZE(va_bfeature_names) - 1, 0);
	unsigned int q;

	mutex_lock(&vb->lock);
	seq_printf(s, "numbering: %s\n",
		   va_balloon_numbering_names[vb->numbering]);
	va_show_features(s, "offered", vb->offered & mask);
	va_show_features(s, "declined", vb->declined & mask);
	va_show_features(s, "misplaced", vb->misplaced & mask);
	va_show_features(s, "negotiated", vb->vdev->features & mask);
	for (q = 0; q < VA_BVQ_MAX; q++) {
		seq_printf(s, "queue %s: ", va_balloon_vq_names[q]);
		if (vb->index[q] == VA_BVQ_NONE)
			seq_puts(s, "none\n");
		else
			seq_printf(s, "index %d, %u entries\n", vb->index[q],
				   vaq_vring_size(vb->vqs[q]));
	}
	seq_printf(s, "pages: %u\n", vb->num_pages);
	seq_printf(s, "in_flight: inflate %u, deflate %u\n",
		   vb->in_flight_pages[VA_BVQ_INFLATE],
		   vb->in_flight_pages[VA_BVQ_DEFLATE]);
	seq_printf(s, "managed: %s\n", va_counts_managed(vb) ?
		   "pages leave MemTotal" :
		   "pages stay in MemTotal (deflate_on_oom)");
	seq_printf(s, "inflated: %llu\ndeflated: %llu\n", vb->inflated,
		   vb->deflated);
	seq_printf(s, "oom_deflated: %llu\nmigrated: %llu\nalloc_failed: %llu\n",
		   vb->oom_deflated, vb->migrated, vb->alloc_failed);
	seq_printf(s, "dead: %d\noom_hold: %d\n", vb->dead,
		   READ_ONCE(vb->oom_hold));
	if (virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_PAGE_POISON))
		seq_printf(s, "poison_val: 0x%08x\n", vb->poison_val);
	mutex_unlock(&vb->lock);
	va_bstats_show(vb, s);
	va_breport_show(vb, s);
	va_bhint_show(vb, s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(va_balloon);

/* Queue indexes under the chosen rule; log them with the reason. */
static int va_balloon_layout_vqs(struct va_balloon *vb)
{
	struct virtio_device *vdev = vb->vdev;
	u64 negotiated = vdev->features & vb->offered;
	int err;

	err = va_balloon_layout(vb->numbering, vb->offered, negotiated,
				vb->index);
	if (err) {
		dev_err(&vdev->dev,
			"queue layout: negotiated features 0x%llx are not all offered (0x%llx)\n",
			negotiated, vb->offered);
		return err;
	}
	dev_info(&vdev->dev,
		 "queue numbering %s: inflate %d, deflate %d, stats %d, free_page %d, reporting %d (-1: none); offered 0x%llx, declined 0x%llx\n",
		 va_balloon_numbering_names[vb->numbering],
		 vb->index[VA_BVQ_INFLATE], vb->index[VA_BVQ_DEFLATE],
		 vb->index[VA_BVQ_STATS], vb->index[VA_BVQ_FREE_PAGE],
		 vb->index[VA_BVQ_REPORTING], vb->offered & 0xffffff,
		 vb->declined);
	return 0;
}

/* Set up the queues, go DRIVER_OK, and follow the target (probe, restore). */
static int va_balloon_start(struct va_balloon *vb)
{
	struct va_vq_info info[VA_BVQ_MAX] = {
		[VA_BVQ_INFLATE] = { .callback = va_balloon_ack },
		[VA_BVQ_DEFLATE] = { .callback = va_balloon_ack },
		[VA_BVQ_STATS] = { .callback = va_bstats_done },
		[VA_BVQ_REPORTING] = { .callback = va_breport_done },
	};
	struct virtio_device *vdev = vb->vdev;
	u16 index[VA_BVQ_MAX] = { 0 };
	unsigned int q;
	int err;

	err = va_balloon_layout_vqs(vb);
	if (err)
		return err;
	va_breport_check_layout(vb);
	for (q = 0; q < VA_BVQ_MAX; q++) {
		if (vb->index[q] == VA_BVQ_NONE)
			continue;
		info[q].name = va_balloon_vq_names[q];
		index[q] = vb->index[q];
	}
	err = vtr_find_vqs_at(vdev, VA_BVQ_MAX, vb->vqs, info, index);
	if (err) {
		dev_err(&vdev->dev, "finding queues: %d\n", err);
		return err;
	}
	va_set_bufs(vb);
	dev_info(&vdev->dev,
		 "on the %s ring; %u buffers of %u page numbers per request\n",
		 vaq_is_alt(vb->vqs[VA_BVQ_INFLATE]) ? "alt" : "in-tree",
		 vb->bufs, VA_BALLOON_PFNS_MAX);

	/* 5.5.6: poison_val before the device may look at free pages. */
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)) {
		vb->poison_val = 0;
		if (page_poisoning_enabled_static())
			memset(&vb->poison_val, PAGE_POISON,
			       sizeof(vb->poison_val));
		virtio_cwrite_le(vdev, struct virtio_balloon_config,
				 poison_val, &vb->poison_val);
	}

	/* 3.1.1: DRIVER_OK before the first buffer is made available. */
	virtio_device_ready(vdev);
	va_bstats_start(vb);
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM)) {
		vb->oom_nb.notifier_call = va_balloon_oom;
		vb->oom_nb.priority = 80;	/* before other reclaimers */
		err = register_oom_notifier(&vb->oom_nb);
		if (err) {
			dev_err(&vdev->dev,
				"registering the out-of-memory notifier: %d\n",
				err);
			va_bstats_stop(vb);
			virtio_reset_device(vdev);
			vdev->config->del_vqs(vdev);
			return err;
		}
	}
	va_bhint_start(vb);
	return va_breport_start(vb);
}

/*
 * Give every page back, tell the device (actual 0), reset it and delete
 * the queues (remove, freeze). Updates must be stopped already.
 */
static void va_balloon_stop(struct va_balloon *vb)
{
	struct virtio_device *vdev = vb->vdev;
	unsigned int tries = 0;

	va_breport_stop(vb);
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM))
		unregister_oom_notifier(&vb->oom_nb);
	va_bstats_stop(vb);
	mutex_lock(&vb->lock);
	va_settle_all(vb);
	mutex_unlock(&vb->lock);
	/*
	 * balloon_page_list_dequeue() skips pages isolated for migration, so
	 * retry for a while before giving up on those.
	 */
	while (vb->num_pages) {
		if (va_leak(vb, vb->num_pages, true)) {
			tries = 0;
			continue;
		}
		if (++tries > 100) {
			dev_err(&vdev->dev,
				"%u pages still isolated for migration\n",
				vb->num_pages);
			break;
		}
		msleep(20);
	}
	if (!vb->dead)
		va_update_actual(vb);

	virtio_reset_device(vdev);
	/* Hinted pages go back once the device no longer looks at them. */
	va_bhint_stop(vb);
	vdev->config->del_vqs(vdev);
	memset(vb->vqs, 0, sizeof(vb->vqs));
	/* The reset took back whatever a dead device still held. */
	memset(vb->pending, 0, sizeof(vb->pending));
}

static unsigned int va_balloon_features[] = {
	VIRTIO_BALLOON_F_MUST_TELL_HOST,
	VIRTIO_BALLOON_F_STATS_VQ,
	VIRTIO_BALLOON_F_DEFLATE_ON_OOM,
	VIRTIO_BALLOON_F_FREE_PAGE_HINT,
	VIRTIO_BALLOON_F_PAGE_POISON,
	VIRTIO_BALLOON_F_REPORTING,
};

/* The feature bits of va_balloon_features[]. */
static u64 va_balloon_table_bits(void)
{
	u64 bits = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(va_balloon_features); i++)
		bits |= BIT_ULL(va_balloon_features[i]);
	return bits;
}

/*
 * The balloon feature bits (0-63) the driver accepts of @features: not what
 * @decline (balloon_decline=) names; as the in-tree driver, no page
 * poisoning when the guest neither poisons nor zeroes free pages, and no
 * page reporting when it does but cannot tell the device (reported pages
 * could come back with other contents); with balloon_conflict=decline, no
 * queue @numbering misplaces, those being stored in @misplaced.
 */
static u64 va_balloon_accepted(u64 features, u64 offered, u64 decline,
			       enum va_balloon_numbering numbering,
			       u64 *misplaced)
{
	features &= ~decline;
	if (!want_init_on_free() && !page_poisoning_enabled_static())
		features &= ~BIT_ULL(VIRTIO_BALLOON_F_PAGE_POISON);
	else if (!(features & BIT_ULL(VIRTIO_BALLOON_F_PAGE_POISON)))
		features &= ~BIT_ULL(VIRTIO_BALLOON_F_REPORTING);
	*misplaced = 0;
	if (READ_ONCE(va_conflict) == VA_CONFLICT_DECLINE)
		*misplaced = va_balloon_layout_conflicts(numbering, offered,
							 features & offered);
	return features & ~*misplaced;
}

/* Before features are final: decline what va_balloon_accepted() drops. */
static int va_balloon_validate(struct virtio_device *vdev)
{
	enum va_balloon_numbering numbering = READ_ONCE(va_numbering);
	u64 offered = vdev->config->get_features(vdev);
	int mine[VA_BVQ_MAX], theirs[VA_BVQ_MAX];
	u64 keep, misplaced;
	unsigned int f, q;

	if (!vtr_is_ours(vdev))
		return -ENODEV;
	keep = va_balloon_accepted(vdev->features, offered,
				   READ_ONCE(va_decline), numbering, &misplaced);
	for (f = 0; f < ARRAY_SIZE(va_bfeature_names); f++)
		if (!(keep & BIT_ULL(f)))
			__virtio_clear_bit(vdev, f);
	/* Page numbers are guest-physical: no IOMMU translation. */
	__virtio_clear_bit(vdev, VIRTIO_F_ACCESS_PLATFORM);
	if (!misplaced ||
	    va_balloon_layout(numbering, offered,
			      (keep | misplaced) & offered, mine) ||
	    va_balloon_layout(VA_NUMBER_OFFERED, offered,
			      (keep | misplaced) & offered, theirs))
		return 0;
	for (q = VA_BVQ_STATS; q < VA_BVQ_MAX; q++)
		if (misplaced & BIT_ULL(va_balloon_vq_feature(q)))
			dev_warn(&vdev->dev,
				 "queue numbering %s puts %s at index %d; a device numbering over offered features (QEMU) has it at %d: %s declined (balloon_conflict=use keeps it)\n",
				 va_balloon_numbering_names[numbering],
				 va_balloon_vq_names[q], mine[q], theirs[q],
				 va_bfeature_names[va_balloon_vq_feature(q)]);
	return 0;
}

static int va_balloon_probe(struct virtio_device *vdev)
{
	struct va_balloon *vb;
	int err;

	if (!vtr_is_ours(vdev))
		return -ENODEV;
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "transport cannot read configuration\n");
		return -EINVAL;
	}

	vb = kzalloc(sizeof(*vb), GFP_KERNEL);
	if (!vb)
		return -ENOMEM;
	vb->vdev = vdev;
	vdev->priv = vb;
	vb->numbering = READ_ONCE(va_numbering);
	vb->declined = READ_ONCE(va_decline);
	vb->offered = vdev->config->get_features(vdev);
	va_balloon_accepted(va_balloon_table_bits() & vb->offered, vb->offered,
			    vb->declined, vb->numbering, &vb->misplaced);
	INIT_WORK(&vb->update_work, va_update_work);
	spin_lock_init(&vb->stop_lock);
	mutex_init(&vb->lock);
	init_waitqueue_head(&vb->acked);
	vb->pfns = vb->pfn_halves[0];
	INIT_LIST_HEAD(&vb->deflating);
	balloon_devinfo_init(&vb->b_dev_info);
#ifdef CONFIG_BALLOON_COMPACTION
	vb->b_dev_info.migratepage = va_migratepage;
#endif
	va_bstats_init(vb);
	va_breport_init(vb);
	va_bhint_init(vb);

	err = va_balloon_start(vb);
	if (err)
		goto free;
	if (!IS_ERR_OR_NULL(to_vtr(vdev)->debugfs))
		vb->debugfs = debugfs_create_file("balloon", 0444,
						  to_vtr(vdev)->debugfs, vb,
						  &va_balloon_fops);
	if (va_towards_target(vb))
		va_balloon_changed(vdev);
	return 0;

free:
	kfree(vb);
	vdev->priv = NULL;
	return err;
}

static void va_balloon_stop_updates(struct va_balloon *vb, bool stop)
{
	spin_lock_irq(&vb->stop_lock);
	vb->stop_update = stop;
	spin_unlock_irq(&vb->stop_lock);
	if (stop)
		cancel_work_sync(&vb->update_work);
}

static void va_balloon_remove(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;

	debugfs_remove(vb->debugfs);
	va_balloon_stop_updates(vb, true);
	va_balloon_stop(vb);
	kfree(vb);
}

#ifdef CONFIG_PM_SLEEP
/*
 * Suspend or hibernation: like the in-tree driver, give every page back
 * and let go of the queues; restore inflates to the target again.
 */
static int va_balloon_freeze(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;

	va_balloon_stop_updates(vb, true);
	va_balloon_stop(vb);
	return 0;
}

static int va_balloon_restore(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;
	int err;

	/* The device was reset: whatever it failed to answer is forgotten. */
	vb->dead = false;
	/* Updates stay stopped until the queues exist again. */
	err = va_balloon_start(vb);
	if (err)
		return err;
	va_balloon_stop_updates(vb, false);
	if (va_towards_target(vb))
		va_balloon_changed(vdev);
	return 0;
}
#endif

static const struct virtio_device_id va_balloon_ids[] = {
	{ VIRTIO_ID_BALLOON, VIRTIO_DEV_ANY_ID },
	{ }
};

/*
 * struct vtr_driver.run_serialized (the debugfs ring dump): each queue's
 * buffers are added and taken under vb->lock, reporting_vq's under
 * vb->report_lock. Neither is held while the queues are deleted.
 */
static int va_balloon_run_serialized(struct virtio_device *vdev,
				     struct virtqueue *vq,
				     int (*fn)(struct virtqueue *vq, void *arg),
				     void *arg)
{
	struct va_balloon *vb = vdev->priv;
	struct mutex *lock = vq == vb->vqs[VA_BVQ_REPORTING] ?
			     &vb->report_lock : &vb->lock;
	int ret;

	if (mutex_lock_interruptible(lock))
		return -EINTR;
	ret = fn(vq, arg);
	mutex_unlock(lock);
	return ret;
}

static struct vtr_driver va_balloon_driver = {
	.driver.driver.name	= "virtio_alt_balloon",
	.driver.driver.owner	= THIS_MODULE,
	.driver.feature_table	= va_balloon_features,
	.driver.feature_table_size = ARRAY_SIZE(va_balloon_features),
	.driver.id_table	= va_balloon_ids,
	.driver.validate	= va_balloon_validate,
	.driver.probe		= va_balloon_probe,
	.driver.remove		= va_balloon_remove,
	.driver.config_changed	= va_balloon_config_changed,
#ifdef CONFIG_PM_SLEEP
	.driver.freeze		= va_balloon_freeze,
	.driver.restore		= va_balloon_restore,
#endif
	.reset_vq		= va_balloon_reset_vq,
	.run_serialized		= va_balloon_run_serialized,
};

/**
 * va_balloon_init() - register the virtio_alt_balloon driver
 *
 * Context: module init.
 * Return: 0 or the error of register_virtio_driver().
 */
int va_balloon_init(void)
{
	return register_virtio_driver(&va_balloon_driver.driver);
}

/**
 * va_balloon_exit() - unregister the virtio_alt_balloon driver
 *
 * Context: module exit.
 */
void va_balloon_exit(void)
{
	unregister_virtio_driver(&va_balloon_driver.driver);
}
