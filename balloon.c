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
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "transport.h"
#include "vq.h"

/* Balloon page numbers are in 4 KiB units whatever the kernel page size. */
#define VA_BALLOON_PAGES_PER_PAGE (PAGE_SIZE >> VIRTIO_BALLOON_PFN_SHIFT)
/* Page numbers per buffer, and buffers in flight per request. */
#define VA_BALLOON_PFNS_MAX 256
#define VA_BALLOON_BUFS 4
/* How long the device has to return a buffer of page numbers. */
#define VA_BALLOON_ACK_TIMEOUT (30 * HZ)

enum { VA_VQ_INFLATE, VA_VQ_DEFLATE, VA_VQ_MAX };

struct va_balloon {
	struct virtio_device *vdev;
	struct virtqueue *vqs[VA_VQ_MAX];

	struct work_struct update_work;
	spinlock_t stop_lock;		/* protects stop_update */
	bool stop_update;
	bool dead;			/* the device stopped answering */

	struct mutex lock;		/* num_pages, pfns, the queues */
	struct balloon_dev_info b_dev_info;
	wait_queue_head_t acked;
	unsigned int num_pages;		/* in the balloon, 4 KiB units */
	unsigned int bufs;		/* buffers per request, <= queue sizes */
	unsigned int recycled;		/* buffers returned by queue resets */
	unsigned int num_pfns;
	__virtio32 pfns[VA_BALLOON_BUFS * VA_BALLOON_PFNS_MAX];
};

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
 * Give the device the page numbers in vb->pfns, VA_BALLOON_PFNS_MAX to a
 * buffer, with one notification, and wait until it returns every buffer
 * (5.5.6: the device acknowledges by using them). Several buffers per
 * notification let the device's event suppression save exits. Returns
 * false if the queue is broken or the device did not answer in time; the
 * balloon is then dead and does no more work until removed.
 */
static bool va_tell_host(struct va_balloon *vb, struct virtqueue *vq)
{
	unsigned int n, nbufs = 0, back = 0, len;
	struct scatterlist sg;
	long left;
	int err;

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
			return false;
		}
	}
	vaq_kick(vq);
	left = wait_event_timeout(vb->acked,
				  (back += va_take_used(vq, &len)) == nbufs ||
				  vaq_is_broken(vq), VA_BALLOON_ACK_TIMEOUT);
	if (!left || back != nbufs) {
		dev_err(&vb->vdev->dev,
			"%s queue: device %s; balloon stopped until the device is removed\n",
			vq->name, left ? "broke the queue" :
			"did not return the page numbers within 30 s");
		vb->dead = true;
		return false;
	}
	return true;
}

static void va_set_pfns(struct va_balloon *vb, struct page *page)
{
	unsigned long pfn = page_to_pfn(page) << (PAGE_SHIFT -
						  VIRTIO_BALLOON_PFN_SHIFT);
	unsigned int i;

	for (i = 0; i < VA_BALLOON_PAGES_PER_PAGE; i++)
		vb->pfns[vb->num_pfns++] = cpu_to_virtio32(vb->vdev, pfn + i);
}

/* Inflate by up to @num 4 KiB pages; return how many went in. */
static unsigned int va_fill(struct va_balloon *vb, unsigned int num)
{
	unsigned int done = 0, i;
	struct page *page;
	LIST_HEAD(pages);

	num = min(num, vb->bufs * VA_BALLOON_PFNS_MAX);
	/* Allocate outside the lock: allocation may compact our own pages. */
	for (i = 0; i < num; i += VA_BALLOON_PAGES_PER_PAGE) {
		page = balloon_page_alloc();
		if (!page) {
			dev_info_ratelimited(&vb->vdev->dev,
					     "out of memory after %u of %u pages\n",
					     i, num);
			/* Let the system find memory before the next try. */
			msleep(200);
			break;
		}
		balloon_page_push(&pages, page);
	}

	mutex_lock(&vb->lock);
	vb->num_pfns = 0;
	while ((page = balloon_page_pop(&pages))) {
		balloon_page_enqueue(&vb->b_dev_info, page);
		va_set_pfns(vb, page);
		vb->num_pages += VA_BALLOON_PAGES_PER_PAGE;
		adjust_managed_page_count(page, -1);
	}
	done = vb->num_pfns;
	if (done)
		va_tell_host(vb, vb->vqs[VA_VQ_INFLATE]);
	mutex_unlock(&vb->lock);
	return done;
}

static void va_release_pages(struct list_head *pages)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, pages, lru) {
		adjust_managed_page_count(page, 1);
		list_del(&page->lru);
		put_page(page);	/* the balloon's reference */
	}
}

/* Deflate by up to @num 4 KiB pages; return how many came out. */
static unsigned int va_leak(struct va_balloon *vb, unsigned int num)
{
	struct page *page;
	unsigned int done;
	LIST_HEAD(pages);

	mutex_lock(&vb->lock);
	num = min3(num, vb->num_pages, vb->bufs * VA_BALLOON_PFNS_MAX);
	for (vb->num_pfns = 0; vb->num_pfns < num;) {
		page = balloon_page_dequeue(&vb->b_dev_info);
		if (!page)
			break;
		va_set_pfns(vb, page);
		list_add(&page->lru, &pages);
		vb->num_pages -= VA_BALLOON_PAGES_PER_PAGE;
	}
	done = vb->num_pfns;
	/*
	 * 5.5.6.1: with VIRTIO_BALLOON_F_MUST_TELL_HOST the device must hear
	 * of the pages before they are used; we always tell it first. A dead
	 * device is not told, and the pages come back all the same.
	 */
	if (done)
		va_tell_host(vb, vb->vqs[VA_VQ_DEFLATE]);
	va_release_pages(&pages);
	mutex_unlock(&vb->lock);
	return done;
}

static s64 va_towards_target(struct va_balloon *vb)
{
	u32 target;

	virtio_cread_le(vb->vdev, struct virtio_balloon_config, num_pages,
			&target);
	/* The target is untrusted; it cannot exceed what we could give. */
	target = min_t(u64, target, totalram_pages() * VA_BALLOON_PAGES_PER_PAGE +
		       vb->num_pages);
	return (s64)target - vb->num_pages;
}

static void va_update_actual(struct va_balloon *vb)
{
	u32 actual = vb->num_pages;

	virtio_cwrite_le(vb->vdev, struct virtio_balloon_config, actual,
			 &actual);
}

static void va_update_work(struct work_struct *work)
{
	struct va_balloon *vb = container_of(work, struct va_balloon,
					     update_work);
	s64 diff;

	if (vb->dead)
		return;
	diff = va_towards_target(vb);
	if (diff > 0)
		diff -= va_fill(vb, diff);
	else if (diff < 0)
		diff += va_leak(vb, -diff);
	va_update_actual(vb);
	if (diff && !vb->dead)
		queue_work(system_freezable_wq, work);
}

static void va_balloon_changed(struct virtio_device *vdev)
{
	struct va_balloon *vb = vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&vb->stop_lock, flags);
	if (!vb->stop_update)
		queue_work(system_freezable_wq, &vb->update_work);
	spin_unlock_irqrestore(&vb->stop_lock, flags);
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
	if (page_zone(page) != page_zone(newpage)) {
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
	va_tell_host(vb, vb->vqs[VA_VQ_INFLATE]);
	vb->num_pfns = 0;
	va_set_pfns(vb, page);
	va_tell_host(vb, vb->vqs[VA_VQ_DEFLATE]);
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
			vaq_vring_size(vb->vqs[VA_VQ_INFLATE]),
			vaq_vring_size(vb->vqs[VA_VQ_DEFLATE]));
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
 * The debugfs action queue_reset (struct vtr_driver.reset_vq): no request
 * is in flight while vb->lock is held, except one the device never
 * answered (the balloon is dead then). Its buffers come back here; with
 * both queues empty and sound again, the balloon resumes.
 */
static int va_balloon_reset_vq(struct virtio_device *vdev,
			       struct virtqueue *vq, unsigned int num)
{
	struct va_balloon *vb = vdev->priv;
	unsigned int recycled;
	bool revived = false;
	int err;

	mutex_lock(&vb->lock);
	vb->recycled = 0;
	err = vaq_reset(vq, num, va_balloon_recycle);
	recycled = vb->recycled;
	va_set_bufs(vb);
	if (vb->dead && va_idle(vb->vqs[VA_VQ_INFLATE]) &&
	    va_idle(vb->vqs[VA_VQ_DEFLATE])) {
		vb->dead = false;
		revived = true;
	}
	mutex_unlock(&vb->lock);
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

/* Set up the queues, go DRIVER_OK, and follow the target (probe, restore). */
static int va_balloon_start(struct va_balloon *vb)
{
	struct va_vq_info info[VA_VQ_MAX] = {
		[VA_VQ_INFLATE] = { .name = "inflate", .callback = va_balloon_ack },
		[VA_VQ_DEFLATE] = { .name = "deflate", .callback = va_balloon_ack },
	};
	struct virtio_device *vdev = vb->vdev;
	int err;

	err = va_find_vqs(vdev, VA_VQ_MAX, vb->vqs, info);
	if (err) {
		dev_err(&vdev->dev, "finding queues: %d\n", err);
		return err;
	}
	va_set_bufs(vb);
	dev_info(&vdev->dev,
		 "queues: inflate %u, deflate %u, on the %s ring; %u buffers of %u page numbers per request\n",
		 vb->vqs[VA_VQ_INFLATE]->index, vb->vqs[VA_VQ_DEFLATE]->index,
		 vaq_is_alt(vb->vqs[VA_VQ_INFLATE]) ? "alt" : "in-tree",
		 vb->bufs, VA_BALLOON_PFNS_MAX);

	/* 3.1.1: DRIVER_OK before the first buffer is made available. */
	virtio_device_ready(vdev);
	if (va_towards_target(vb))
		va_balloon_changed(vdev);
	return 0;
}

/*
 * Give every page back, tell the device (actual 0), reset it and delete
 * the queues (remove, freeze). Updates must be stopped already.
 */
static void va_balloon_stop(struct va_balloon *vb)
{
	struct virtio_device *vdev = vb->vdev;
	unsigned int tries = 0;

	/*
	 * balloon_page_dequeue() skips pages isolated for migration, so
	 * retry for a while before giving up on those.
	 */
	while (vb->num_pages) {
		if (va_leak(vb, vb->num_pages)) {
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
	vdev->config->del_vqs(vdev);
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
	INIT_WORK(&vb->update_work, va_update_work);
	spin_lock_init(&vb->stop_lock);
	mutex_init(&vb->lock);
	init_waitqueue_head(&vb->acked);
	balloon_devinfo_init(&vb->b_dev_info);
#ifdef CONFIG_BALLOON_COMPACTION
	vb->b_dev_info.migratepage = va_migratepage;
#endif

	err = va_balloon_start(vb);
	if (err)
		goto free;
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

static unsigned int va_balloon_features[] = {
	VIRTIO_BALLOON_F_MUST_TELL_HOST,
};

static const struct virtio_device_id va_balloon_ids[] = {
	{ VIRTIO_ID_BALLOON, VIRTIO_DEV_ANY_ID },
	{ }
};

static struct vtr_driver va_balloon_driver = {
	.driver.driver.name	= "virtio_alt_balloon",
	.driver.driver.owner	= THIS_MODULE,
	.driver.feature_table	= va_balloon_features,
	.driver.feature_table_size = ARRAY_SIZE(va_balloon_features),
	.driver.id_table	= va_balloon_ids,
	.driver.probe		= va_balloon_probe,
	.driver.remove		= va_balloon_remove,
	.driver.config_changed	= va_balloon_changed,
#ifdef CONFIG_PM_SLEEP
	.driver.freeze		= va_balloon_freeze,
	.driver.restore		= va_balloon_restore,
#endif
	.reset_vq		= va_balloon_reset_vq,
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
