// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio_alt_balloon: free page reporting (virtio 1.3, 5.5.6.7).
 *
 * With VIRTIO_BALLOON_F_REPORTING the driver registers with the kernel's
 * page reporting (linux/page_reporting.h). The kernel hands over groups of
 * free pages (at most PAGE_REPORTING_CAPACITY scatterlist entries, each a
 * free block of page_reporting_order or more), isolated from the allocator
 * until the report callback returns. The callback makes them one
 * device-writable buffer on reporting_vq and waits until the device uses
 * it: the device may then discard their contents (QEMU does madvise).
 *
 * A report the device does not return within VA_BREPORT_TIMEOUT is a
 * danger: its pages go back to the allocator when the callback returns,
 * and a device still holding the buffer could discard memory the guest
 * uses again. So the queue is reset (VIRTIO_F_RING_RESET), which takes
 * the buffer back; without that, the whole device is reset and the
 * balloon is dead. Reporting then stops: later reports fail at once.
 */
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/kernel.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/wait.h>

#include "balloon.h"
#include "vq.h"

/* How long the device has to return a report. */
#define VA_BREPORT_TIMEOUT_S 10

#if IS_ENABLED(CONFIG_PAGE_REPORTING)

static const char * const va_breport_state_names[] = {
	[VA_BREPORT_OFF]	= "off",
	[VA_BREPORT_ON]		= "on",
	[VA_BREPORT_DECLINED]	= "declined",
	[VA_BREPORT_STOPPED]	= "stopped",
};

static void va_breport_recycle(struct virtqueue *vq, void *buf)
{
	struct va_balloon *vb = vq->vdev->priv;

	vb->report_recycled++;
}

/*
 * The device kept a report: make sure it can no longer touch the pages
 * before they go back to the allocator. vb->report_lock held.
 */
static void va_breport_take_back(struct va_balloon *vb, struct virtqueue *vq,
				 unsigned int nents)
{
	struct virtio_device *vdev = vb->vdev;
	int numbered = vb->index[VA_BVQ_REPORTING];
	unsigned int q;
	int err;

	vb->report_state = VA_BREPORT_STOPPED;
	vb->report_recycled = 0;
	err = vaq_reset(vq, 0, va_breport_recycle);
	if (!err && vb->report_recycled == 1) {
		dev_err(&vdev->dev,
			"reporting queue (index %d, numbering %s): the device did not return a report of %u free blocks within %d s; queue reset took the buffer back; free page reporting stopped. Likely cause: the device does not use index %d as reporting_vq (see balloon_numbering=)\n",
			numbered, va_balloon_numbering_names[vb->numbering],
			nents, VA_BREPORT_TIMEOUT_S, numbered);
		return;
	}
	/*
	 * No queue reset: only a device reset stops the device from using
	 * the buffer. Break every queue first so no waiter stays behind.
	 */
	for (q = 0; q < VA_BVQ_MAX; q++)
		if (vb->vqs[q])
			vaq_break(vb->vqs[q]);
	wake_up(&vb->acked);
	virtio_reset_device(vdev);
	mutex_lock(&vb->lock);
	vb->dead = true;
	mutex_unlock(&vb->lock);
	dev_err(&vdev->dev,
		"reporting queue (index %d, numbering %s): the device did not return a report of %u free blocks within %d s and %s; device reset so it cannot touch the pages again: balloon and free page reporting stopped until the device is removed. Likely cause: the device does not use index %d as reporting_vq (see balloon_numbering=)\n",
		numbered, va_balloon_numbering_names[vb->numbering], nents,
		VA_BREPORT_TIMEOUT_S,
		err ? "the queue cannot be reset" : "a queue reset did not return it",
		numbered);
}

/*
 * struct page_reporting_dev_info.report: the pages of @sg are isolated
 * from the allocator until this returns. Runs on the page reporting work,
 * one report at a time.
 */
static int va_breport_report(struct page_reporting_dev_info *pr,
			     struct scatterlist *sg, unsigned int nents)
{
	struct va_balloon *vb = container_of(pr, struct va_balloon,
					     report_info);
	struct virtqueue *vq = vb->vqs[VA_BVQ_REPORTING];
	struct scatterlist *s;
	unsigned int len, i;
	bool used = false;
	u64 bytes = 0;
	int err = 0;
	long left;

	mutex_lock(&vb->report_lock);
	if (vb->report_state != VA_BREPORT_ON) {
		vb->report_refused++;
		err = -EIO;
		goto out;
	}
	for_each_sg(sg, s, nents, i)
		bytes += s->length;
	/* No reclaim here: it could free pages into this very report. */
	err = vaq_add_inbuf(vq, sg, nents, vb, GFP_NOWAIT | __GFP_NOWARN);
	if (err) {
		vb->report_failures++;
		dev_err_ratelimited(&vb->vdev->dev,
				    "reporting queue: adding %u free blocks: %d\n",
				    nents, err);
		goto out;
	}
	vaq_kick(vq);
	left = wait_event_timeout(vb->reported,
				  (used = vaq_get_buf(vq, &len)) ||
				  vaq_is_broken(vq),
				  VA_BREPORT_TIMEOUT_S * HZ);
	if (!used) {
		vb->report_failures++;
		err = left ? -EIO : -ETIMEDOUT;
		va_breport_take_back(vb, vq, nents);
		goto out;
	}
	vb->reports++;
	vb->report_bytes += bytes;
out:
	mutex_unlock(&vb->report_lock);
	return err;
}

/**
 * va_breport_init() - prepare a balloon's free page reporting state
 * @vb: the balloon, being probed
 *
 * Virtio 1.3, 5.5.6.7: sets up what the reports need before reporting_vq
 * exists; nothing is registered yet.
 *
 * Context: probe, before the queues exist.
 */
void va_breport_init(struct va_balloon *vb)
{
	mutex_init(&vb->report_lock);
	init_waitqueue_head(&vb->reported);
	vb->report_info.report = va_breport_report;
}

/**
 * va_breport_start() - register with the kernel's page reporting
 * @vb: the balloon, after DRIVER_OK
 *
 * Virtio 1.3, 5.5.6.7: with VIRTIO_BALLOON_F_REPORTING negotiated the
 * driver may give the device free pages on reporting_vq. A queue smaller
 * than PAGE_REPORTING_CAPACITY cannot take a whole report: reporting is
 * then declined. The kernel allows one page reporting device at a time
 * (another balloon may have it).
 *
 * Context: process context, may sleep.
 * Return: 0; a failure is logged and the balloon works on without
 * reporting.
 */
int va_breport_start(struct va_balloon *vb)
{
	struct virtqueue *vq = vb->vqs[VA_BVQ_REPORTING];
	struct device *dev = &vb->vdev->dev;
	int err;

	vb->report_state = VA_BREPORT_OFF;
	if (!vq)
		return 0;
	if (vaq_vring_size(vq) < PAGE_REPORTING_CAPACITY) {
		vb->report_state = VA_BREPORT_DECLINED;
		dev_err(dev,
			"reporting queue (index %d) has %u entries, fewer than the %u a report may need; free page reporting declined\n",
			vb->index[VA_BVQ_REPORTING], vaq_vring_size(vq),
			PAGE_REPORTING_CAPACITY);
		return 0;
	}
	vb->report_state = VA_BREPORT_ON;
	err = page_reporting_register(&vb->report_info);
	if (err) {
		vb->report_state = VA_BREPORT_DECLINED;
		dev_err(dev,
			"registering free page reporting: %d%s; the balloon works on without it\n",
			err, err == -EBUSY ?
			" (another device reports free pages already)" : "");
		return 0;
	}
	vb->report_registered = true;
	return 0;
}

/**
 * va_breport_stop() - unregister from the kernel's page reporting
 * @vb: the balloon
 *
 * Virtio 1.3, 5.5.6.7: the driver stops reporting before it lets go of
 * reporting_vq. Waits for a report in progress (at most
 * VA_BREPORT_TIMEOUT_S seconds); none starts after this. Call before the
 * queues are reset or deleted (remove, freeze).
 *
 * Context: process context, may sleep; vb->lock and vb->report_lock not
 * held.
 */
void va_breport_stop(struct va_balloon *vb)
{
	if (!vb->report_registered)
		return;
	page_reporting_unregister(&vb->report_info);
	vb->report_registered = false;
}

/**
 * va_breport_reset_vq() - reset reporting_vq (debugfs queue_reset)
 * @vb: the balloon
 * @num: new size in descriptors, or 0 for the same size
 *
 * Virtio 1.3, 2.6.1: waits for a report in progress, then resets the
 * queue; a report the device kept comes back. Reporting stays as it was
 * (a stopped reporting stays stopped).
 *
 * Context: process context, may sleep; takes vb->report_lock.
 * Return: 0 or the error of vaq_reset().
 */
int va_breport_reset_vq(struct va_balloon *vb, unsigned int num)
{
	struct virtqueue *vq = vb->vqs[VA_BVQ_REPORTING];
	unsigned int recycled;
	int err;

	mutex_lock(&vb->report_lock);
	vb->report_recycled = 0;
	err = vaq_reset(vq, num, va_breport_recycle);
	recycled = vb->report_recycled;
	mutex_unlock(&vb->report_lock);
	if (!err)
		dev_info(&vb->vdev->dev,
			 "reporting queue reset: %u entries, %u buffers returned\n",
			 vaq_vring_size(vq), recycled);
	return err;
}

/**
 * va_breport_show() - print the free page reporting counters
 * @vb: the balloon
 * @s: the debugfs file
 *
 * The balloon's debugfs file: reporting state (virtio 1.3, 5.5.6.7),
 * reports returned, their size, failures and refusals.
 *
 * Context: process context; takes vb->report_lock, so it may wait for a
 * report in progress.
 */
void va_breport_show(struct va_balloon *vb, struct seq_file *s)
{
	if (!vb->vqs[VA_BVQ_REPORTING])
		return;
	mutex_lock(&vb->report_lock);
	seq_printf(s, "reporting: %s\n",
		   va_breport_state_names[vb->report_state]);
	seq_printf(s, "reports: %llu\nreport_pages: %llu\nreport_bytes: %llu\n",
		   vb->reports, vb->report_bytes >> PAGE_SHIFT,
		   vb->report_bytes);
	seq_printf(s, "report_failures: %llu\nreport_refused: %llu\n",
		   vb->report_failures, vb->report_refused);
	mutex_unlock(&vb->report_lock);
}

#else /* !CONFIG_PAGE_REPORTING */

void va_breport_init(struct va_balloon *vb)
{
}

int va_breport_start(struct va_balloon *vb)
{
	if (vb->vqs[VA_BVQ_REPORTING])
		dev_warn(&vb->vdev->dev,
			 "free page reporting negotiated but the kernel lacks CONFIG_PAGE_REPORTING; nothing is reported\n");
	return 0;
}

void va_breport_stop(struct va_balloon *vb)
{
}

int va_breport_reset_vq(struct va_balloon *vb, unsigned int num)
{
	return vaq_reset(vb->vqs[VA_BVQ_REPORTING], num, NULL);
}

void va_breport_show(struct va_balloon *vb, struct seq_file *s)
{
	if (vb->vqs[VA_BVQ_REPORTING])
		seq_puts(s, "reporting: off (no CONFIG_PAGE_REPORTING)\n");
}

#endif /* CONFIG_PAGE_REPORTING */

/**
 * va_breport_done() - reporting_vq callback: the device used a report
 * @vq: the reporting queue
 *
 * Virtio 1.3, 5.5.6.7: the device uses the buffer once it has acted on
 * the pages; wakes the report waiting for it, which takes the buffer.
 *
 * Context: interrupt.
 */
void va_breport_done(struct virtqueue *vq)
{
	struct va_balloon *vb = vq->vdev->priv;

	wake_up(&vb->reported);
}

/**
 * va_breport_check_layout() - warn when QEMU-like devices number otherwise
 * @vb: the balloon, its queue indexes computed (vb->index)
 *
 * Virtio 1.3, 5.5.2 and the seed threads: a device that numbers its queues
 * over the features it offers (QEMU creates a queue per offered feature)
 * puts a negotiated queue elsewhere than a driver numbering over the
 * negotiated features, or by the fixed table, whenever a queue feature
 * ahead of it is offered but declined. Names each such queue, its index
 * here and there, and what the device has at the index used here.
 *
 * Context: any.
 * Return: the number of queues whose index differs (0: the layouts agree).
 */
int va_breport_check_layout(struct va_balloon *vb)
{
	u64 negotiated = vb->vdev->features & vb->offered;
	int theirs[VA_BVQ_MAX], all[VA_BVQ_MAX];
	char ahead[48];
	unsigned int q, p;
	const char *there;
	int n = 0, len;

	if (vb->numbering == VA_NUMBER_OFFERED ||
	    va_balloon_layout(VA_NUMBER_OFFERED, vb->offered, negotiated,
			      theirs) ||
	    va_balloon_layout(VA_NUMBER_OFFERED, vb->offered, vb->offered,
			      all))
		return 0;
	for (q = 0; q < VA_BVQ_MAX; q++) {
		if (vb->index[q] == theirs[q])
			continue;
		there = "no";
		len = 0;
		ahead[0] = '\0';
		for (p = 0; p < VA_BVQ_MAX; p++) {
			if (all[p] == vb->index[q])
				there = va_balloon_vq_names[p];
			/* Offered, declined, and numbered ahead of @q there. */
			if (p < q && all[p] != VA_BVQ_NONE &&
			    theirs[p] == VA_BVQ_NONE)
				len += scnprintf(ahead + len, sizeof(ahead) - len,
						 "%s%s", len ? "," : "",
						 va_balloon_vq_names[p]);
		}
		dev_warn(&vb->vdev->dev,
			 "queue numbering %s puts %s at index %d; a device numbering over offered features (QEMU) has it at %d, and at %d its %s queue: the device offers %s ahead of it, declined\n",
			 va_balloon_numbering_names[vb->numbering],
			 va_balloon_vq_names[q], vb->index[q], theirs[q],
			 vb->index[q], there, ahead[0] ? ahead : "queues");
		n++;
	}
	return n;
}
