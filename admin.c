// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt: administration virtqueue support (VIRTIO_F_ADMIN_VQ), on the
 * alt ring, for any transport. See admin.h.
 *
 * Virtio 1.3, 2.12.1 "Group administration commands" and 2.13
 * "Administration Virtqueues": a command is one buffer of two parts, the
 * device-readable struct virtio_admin_cmd_hdr with command_specific_data,
 * then the device-writable struct virtio_admin_cmd_status with
 * command_specific_result; both parts a multiple of 8 bytes. The driver
 * orders commands itself; here one command is in flight at a time, which
 * also keeps LIST_USE alone on the queue as 2.12.1.2 requires.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/virtio.h>

#include "admin.h"
#include "compat.h"
#include "virtio_ring_alt.h"

/* The commands this driver knows how to use: it sends only these. */
#define VA_ADMIN_KNOWN	(BIT_ULL(VIRTIO_ADMIN_CMD_LIST_QUERY) | \
			 BIT_ULL(VIRTIO_ADMIN_CMD_LIST_USE))

/* Opcodes 0x8000 and up may use another structure (2.12.1). */
#define VA_ADMIN_OPCODE_END	0x8000

/*
 * One command on the ring. Ownership: the submitter until it is added;
 * then the ring (@on_ring) until vra_get_buf() or vra_detach_unused_buf()
 * returns it. A submitter that stops waiting while it is on the ring marks
 * it @orphaned, and whoever takes it off the ring frees it.
 */
struct va_admin_req {
	void *out;		/* header and command_specific_data */
	size_t out_len;
	void *in;		/* status and command_specific_result */
	size_t in_len;
	unsigned int len;	/* used length */
	bool on_ring;
	bool used;		/* the device used it */
	bool broken;		/* the queue broke or was reset under it */
	bool orphaned;
};

static const char * const va_admin_names[] = {
	[0x00] = "LIST_QUERY",
	[0x01] = "LIST_USE",
	[0x02] = "LEGACY_COMMON_CFG_WRITE",
	[0x03] = "LEGACY_COMMON_CFG_READ",
	[0x04] = "LEGACY_DEV_CFG_WRITE",
	[0x05] = "LEGACY_DEV_CFG_READ",
	[0x06] = "LEGACY_NOTIFY_INFO",
	[0x07] = "CAP_ID_LIST_QUERY",
	[0x08] = "DEVICE_CAP_GET",
	[0x09] = "DRIVER_CAP_SET",
	[0x0a] = "RESOURCE_OBJ_CREATE",
	[0x0b] = "RESOURCE_OBJ_QUERY",
	[0x0c] = "RESOURCE_OBJ_MODIFY",
	[0x0d] = "RESOURCE_OBJ_DESTROY",
	[0x0e] = "DEV_PARTS_METADATA_GET",
	[0x0f] = "DEV_PARTS_GET",
	[0x10] = "DEV_PARTS_SET",
	[0x11] = "DEV_MODE_SET",
};

static const char * const va_admin_state_names[] = {
	[VA_ADMIN_NONE] = "none",
	[VA_ADMIN_ATTACHED] = "attached",
	[VA_ADMIN_READY] = "ready",
	[VA_ADMIN_FAILED] = "failed",
	[VA_ADMIN_STOPPED] = "stopped",
};

/**
 * va_admin_opcode_name() - the specification's name of an admin command
 * @opcode: the opcode
 *
 * Virtio 1.3, 2.12.1, the opcode table, without the VIRTIO_ADMIN_CMD_
 * prefix.
 *
 * Context: any.
 * Return: the name, or "unknown" for an opcode 1.3 does not define.
 */
const char *va_admin_opcode_name(u16 opcode)
{
	if (opcode < ARRAY_SIZE(va_admin_names) && va_admin_names[opcode])
		return va_admin_names[opcode];
	return "unknown";
}
EXPORT_SYMBOL_GPL(va_admin_opcode_name);

static const char *va_admin_status_name(u16 status)
{
	switch (status) {
	case VA_ADMIN_STATUS_OK:	return "OK";
	case VA_ADMIN_STATUS_ENXIO:	return "ENXIO";
	case VA_ADMIN_STATUS_EAGAIN:	return "EAGAIN";
	case VA_ADMIN_STATUS_ENOMEM:	return "ENOMEM";
	case VA_ADMIN_STATUS_EBUSY:	return "EBUSY";
	case VA_ADMIN_STATUS_EINVAL:	return "EINVAL";
	case VA_ADMIN_STATUS_ENOSPC:	return "ENOSPC";
	default:			return "reserved, handled as EINVAL";
	}
}

static const char *va_admin_qualifier_name(u16 q)
{
	static const char * const names[] = {
		[VA_ADMIN_Q_OK] = "OK",
		[VA_ADMIN_Q_INVALID_COMMAND] = "INVALID_COMMAND",
		[VA_ADMIN_Q_INVALID_OPCODE] = "INVALID_OPCODE",
		[VA_ADMIN_Q_INVALID_FIELD] = "INVALID_FIELD",
		[VA_ADMIN_Q_INVALID_GROUP] = "INVALID_GROUP",
		[VA_ADMIN_Q_INVALID_MEMBER] = "INVALID_MEMBER",
		[VA_ADMIN_Q_NORESOURCE] = "NORESOURCE",
		[VA_ADMIN_Q_TRYAGAIN] = "TRYAGAIN",
	};

	if (q < ARRAY_SIZE(names))
		return names[q];
	return "reserved, handled as INVALID_COMMAND";
}

/* 2.12.1.2: a reserved status is handled as EINVAL. */
static int va_admin_errno(u16 status)
{
	switch (status) {
	case VA_ADMIN_STATUS_ENXIO:
	case VA_ADMIN_STATUS_EAGAIN:
	case VA_ADMIN_STATUS_ENOMEM:
	case VA_ADMIN_STATUS_EBUSY:
	case VA_ADMIN_STATUS_EINVAL:
	case VA_ADMIN_STATUS_ENOSPC:
		return -status;
	default:
		return -EINVAL;
	}
}

static void va_admin_free_req(struct va_admin_req *req)
{
	kfree(req->out);
	kfree(req->in);
	kfree(req);
}

/**
 * va_admin_init() - initialize the admin queue state of a device
 * @a: the state, zeroed
 * @dev: the virtio device, for messages
 * @timeout_ms: how long one command may take, milliseconds (at least 1)
 *
 * Context: process context.
 */
void va_admin_init(struct va_admin *a, struct device *dev,
		   unsigned int timeout_ms)
{
	a->dev = dev;
	a->timeout_ms = max(timeout_ms, 1U);
	a->group_type = VA_ADMIN_GROUP_SRIOV;
	a->state = VA_ADMIN_NONE;
	mutex_init(&a->lock);
	spin_lock_init(&a->vq_lock);
	init_completion(&a->done);
}
EXPORT_SYMBOL_GPL(va_admin_init);

/**
 * va_admin_read_range() - read and check where the admin queues are
 * @dev: the device, for messages
 * @num_queues: the device's num_queues register (le16)
 * @index: its admin_queue_index register (le16)
 * @num: its admin_queue_num register (le16)
 * @first: set to the index of the first admin queue
 * @count: set to the number of admin queues
 *
 * Virtio 1.3, 4.1.4.3 (PCI common configuration; any transport with such
 * fields can use this): with VIRTIO_F_ADMIN_VQ negotiated, admin queues
 * @first to @first + @count - 1 lie beyond the num_queues other queues,
 * within the 16-bit queue index range (4.1.4.3.1). The registers are read
 * with ioread16(): device memory, or normal memory in a test. A value that
 * breaks those rules is named in the log and rejected.
 *
 * Context: process context, after FEATURES_OK.
 * Return: 0; -EINVAL if admin_queue_num is 0, admin_queue_index is below
 * num_queues, or the range passes index 65535.
 */
int va_admin_read_range(struct device *dev, const __le16 __iomem *num_queues,
			const __le16 __iomem *index, const __le16 __iomem *num,
			u16 *first, u16 *count)
{
	u16 nq = ioread16(num_queues), idx = ioread16(index), n = ioread16(num);

	if (!n) {
		dev_err(dev,
			"admin_queue_num is 0 although VIRTIO_F_ADMIN_VQ was negotiated: no admin queue\n");
		return -EINVAL;
	}
	if (idx < nq) {
		dev_err(dev,
			"admin_queue_index %u is below num_queues %u (4.1.4.3.1: it must not be); no admin queue\n",
			idx, nq);
		return -EINVAL;
	}
	if ((u32)idx + n > 0x10000) {
		dev_err(dev,
			"admin_queue_index %u + admin_queue_num %u passes queue index 65535 (4.1.4.3.1); no admin queue\n",
			idx, n);
		return -EINVAL;
	}
	*first = idx;
	*count = n;
	return 0;
}
EXPORT_SYMBOL_GPL(va_admin_read_range);

/**
 * va_admin_attach() - take an alt-ring queue as the admin queue
 * @a: the state
 * @vq: an alt-ring queue at one of the admin queue indexes, not yet used;
 *	its callback must call va_admin_done()
 * @count: admin queues the device has (shown in debugfs)
 *
 * A command takes two descriptors (2.13), so the queue needs at least two
 * entries. A used length beyond the bytes posted breaks the queue here
 * (vra_set_strict_len()): such a device's answer is not to be read.
 *
 * Context: process context; before the device is live (DRIVER_OK).
 * Return: 0, or -EINVAL if the queue has fewer than two entries.
 */
int va_admin_attach(struct va_admin *a, struct virtqueue *vq, u16 count)
{
	unsigned int size = vra_get_vring_size(vq);

	if (size < 2) {
		dev_err(a->dev,
			"admin queue %u has %u entry; a command needs 2 descriptors (2.13); not using it\n",
			vq->index, size);
		return -EINVAL;
	}
	vra_set_strict_len(vq, true);
	mutex_lock(&a->lock);
	a->vq = vq;
	a->index = vq->index;
	a->count = count;
	a->state = VA_ADMIN_ATTACHED;
	a->err = 0;
	a->cur = NULL;
	memset(a->supported, 0, sizeof(a->supported));
	memset(a->used, 0, sizeof(a->used));
	mutex_unlock(&a->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(va_admin_attach);

/**
 * va_admin_done() - the admin queue's used buffer notification
 * @a: the state
 *
 * Takes the used command off the ring and wakes its submitter. If the
 * queue is broken (the ring found the device's used entry invalid), the
 * submitter is woken with the command still on the ring.
 *
 * Context: the queue's callback: any context; takes @a->vq_lock.
 */
void va_admin_done(struct va_admin *a)
{
	struct va_admin_req *req;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&a->vq_lock, flags);
	if (!a->vq)
		goto out;
	while ((req = vra_get_buf(a->vq, &len))) {
		req->on_ring = false;
		if (req->orphaned) {
			/* Its submitter gave up; nobody waits for it. */
			va_admin_free_req(req);
			a->recovered++;
			continue;
		}
		req->len = len;
		req->used = true;
		if (req == a->cur) {
			a->cur = NULL;
			complete(&a->done);
		}
	}
	if (a->cur && vra_is_broken(a->vq)) {
		a->cur->broken = true;
		a->cur = NULL;
		complete(&a->done);
	}
out:
	spin_unlock_irqrestore(&a->vq_lock, flags);
}
EXPORT_SYMBOL_GPL(va_admin_done);

/* Stop using the queue until the device is reset; @a->lock held. */
static void va_admin_stop(struct va_admin *a, int err)
{
	a->state = VA_ADMIN_STOPPED;
	a->err = err;
}

/*
 * Put @req on the ring and notify; 0 or -errno. On -EIO @req stays on the
 * broken ring and *@orphan says so: it is no longer the caller's to free.
 * @a->lock held.
 */
static int va_admin_submit(struct va_admin *a, struct va_admin_req *req,
			   bool *orphan)
{
	struct scatterlist out, in, *sgs[2] = { &out, &in };
	unsigned long flags;
	int err;

	sg_init_one(&out, req->out, req->out_len);
	sg_init_one(&in, req->in, req->in_len);
	reinit_completion(&a->done);
	spin_lock_irqsave(&a->vq_lock, flags);
	err = vra_add_sgs(a->vq, sgs, 1, 1, req, GFP_ATOMIC);
	if (!err) {
		req->on_ring = true;
		a->cur = req;
		if (!vra_kick(a->vq)) {
			/* The ring is broken now; the buffer stays on it. */
			a->cur = NULL;
			req->orphaned = true;
			err = -EIO;
		}
	}
	*orphan = req->orphaned;
	spin_unlock_irqrestore(&a->vq_lock, flags);
	return err;
}

/*
 * Wait for @req. Return 0 when it was used; otherwise -ETIMEDOUT or -EIO,
 * and @req, still on the ring, is left to va_admin_recover().
 */
static int va_admin_wait(struct va_admin *a, struct va_admin_req *req)
{
	bool orphan = false;
	unsigned long flags;
	int err = 0;

	wait_for_completion_timeout(&a->done, msecs_to_jiffies(a->timeout_ms));
	spin_lock_irqsave(&a->vq_lock, flags);
	if (!req->used) {
		err = req->broken ? -EIO : -ETIMEDOUT;
		if (a->cur == req)
			a->cur = NULL;
		if (req->on_ring) {
			/* From here on whoever takes it off the ring frees it. */
			req->orphaned = true;
			orphan = true;
			/* A late answer must not be taken for a new command. */
			vra_break(a->vq);
		}
	}
	spin_unlock_irqrestore(&a->vq_lock, flags);
	if (err && !orphan)
		va_admin_free_req(req);
	return err;
}

/*
 * Check what the device wrote and copy the result out (2.13: the driver
 * truncates to the used length; missing fields read as zero).
 */
static int va_admin_finish(struct va_admin *a, struct va_admin_req *req,
			   struct va_admin_cmd *cmd)
{
	const struct virtio_admin_cmd_status *st = req->in;
	const char *name = va_admin_opcode_name(cmd->opcode);
	size_t st_len = sizeof(*st);
	unsigned int len = req->len;

	/* 2.13.1: the device initializes status and status_qualifier, in
	 * a multiple of 64 bits; the ring made sure len fits the buffer.
	 */
	if (len < st_len || len % 8 || len > req->in_len) {
		a->bad_len++;
		dev_err(a->dev,
			"admin command %s (opcode %#x): used length %u is %s (2.13.1: at least the %zu bytes of status, a multiple of 8, at most the %zu bytes posted)\n",
			name, cmd->opcode, len,
			len > req->in_len ? "too long" :
			len < st_len ? "too short" : "not a multiple of 8",
			st_len, req->in_len);
		return -EPROTO;
	}
	cmd->status = le16_to_cpu(st->status);
	cmd->status_qualifier = le16_to_cpu(st->status_qualifier);
	cmd->result_got = min_t(size_t, len - st_len, cmd->result_len);
	if (cmd->result_len) {
		memcpy(cmd->result, req->in + st_len, cmd->result_got);
		memset(cmd->result + cmd->result_got, 0,
		       cmd->result_len - cmd->result_got);
	}
	if (cmd->status != VA_ADMIN_STATUS_OK) {
		a->errors++;
		dev_err(a->dev,
			"admin command %s (opcode %#x, group type %u, member %llu): status %u (%s), status_qualifier %u (%s)\n",
			name, cmd->opcode, cmd->group_type,
			cmd->group_member_id, cmd->status,
			va_admin_status_name(cmd->status),
			cmd->status_qualifier,
			va_admin_qualifier_name(cmd->status_qualifier));
		return va_admin_errno(cmd->status);
	}
	if (cmd->status_qualifier)
		dev_warn(a->dev,
			 "admin command %s: status OK with status_qualifier %u (2.12.1: must be 0); ignored\n",
			 name, cmd->status_qualifier);
	return 0;
}

/* @a->lock held: may @opcode go to the device now? */
static int va_admin_check(struct va_admin *a, const struct va_admin_cmd *cmd)
{
	const char *name = va_admin_opcode_name(cmd->opcode);
	u16 op = cmd->opcode;

	if (!a->vq || a->state == VA_ADMIN_NONE)
		return -ENODEV;
	if (a->state == VA_ADMIN_STOPPED) {
		dev_err(a->dev,
			"admin command %s (opcode %#x): admin queue %u is stopped (%pe) until the device is reset\n",
			name, op, a->index, ERR_PTR(a->err));
		return -EIO;
	}
	/* 2.12.1.2: nothing but these two before LIST_USE completed. */
	if (op == VIRTIO_ADMIN_CMD_LIST_QUERY || op == VIRTIO_ADMIN_CMD_LIST_USE)
		return 0;
	if (a->state != VA_ADMIN_READY || op >= VA_ADMIN_OPCODES ||
	    !(a->used[op / 64] & BIT_ULL(op % 64))) {
		dev_err(a->dev,
			"admin command %s (opcode %#x) is not in the list sent with LIST_USE; not sent\n",
			name, op);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * va_admin_exec() - run one group administration command
 * @a: the state, attached to a queue
 * @cmd: the command; @cmd->status, ->status_qualifier and ->result_got
 *	are filled in when the device answered
 *
 * Virtio 1.3, 2.12.1 and 2.13: builds struct virtio_admin_cmd (header and
 * data device-readable, status and result device-writable, each part
 * padded to a multiple of 8 bytes), submits it, waits up to
 * @a->timeout_ms for the device, and checks the used length before reading
 * anything the device wrote. Commands run one at a time. A command the
 * device does not answer in time, or that breaks the queue, stops the
 * admin queue until the device is reset; its buffers are taken back by
 * va_admin_recover().
 *
 * Context: process context, may sleep; takes @a->lock.
 * Return: 0 if the device answered with status OK; the status as -errno
 * (a reserved status as -EINVAL, 2.12.1.2); -EPROTO for a used length
 * without a whole status; -ETIMEDOUT when the device did not answer; -EIO
 * when the queue is or became broken or stopped; -EOPNOTSUPP for an opcode
 * not sent with LIST_USE; -ENODEV without an admin queue; -EINVAL for a
 * bad @cmd; -ENOMEM; -ENOSPC if the ring has no room.
 */
int va_admin_exec(struct va_admin *a, struct va_admin_cmd *cmd)
{
	const char *name = va_admin_opcode_name(cmd->opcode);
	struct virtio_admin_cmd_hdr *hdr;
	struct va_admin_req *req;
	bool orphan;
	int err;

	if (cmd->data_len > VA_ADMIN_MAX_PART ||
	    cmd->result_len > VA_ADMIN_MAX_PART ||
	    (cmd->data_len && !cmd->data) ||
	    (cmd->result_len && !cmd->result) ||
	    cmd->opcode >= VA_ADMIN_OPCODE_END)
		return -EINVAL;
	cmd->status = 0;
	cmd->status_qualifier = 0;
	cmd->result_got = 0;

	mutex_lock(&a->lock);
	err = va_admin_check(a, cmd);
	if (err)
		goto unlock;
	err = -ENOMEM;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		goto unlock;
	req->out_len = sizeof(*hdr) + round_up(cmd->data_len, 8);
	req->in_len = sizeof(struct virtio_admin_cmd_status) +
		      round_up(cmd->result_len, 8);
	req->out = kzalloc(req->out_len, GFP_KERNEL);
	req->in = kzalloc(req->in_len, GFP_KERNEL);
	if (!req->out || !req->in) {
		va_admin_free_req(req);
		goto unlock;
	}
	hdr = req->out;
	hdr->opcode = cpu_to_le16(cmd->opcode);
	hdr->group_type = cpu_to_le16(cmd->group_type);
	hdr->group_member_id = cpu_to_le64(cmd->group_member_id);
	if (cmd->data_len)
		memcpy(req->out + sizeof(*hdr), cmd->data, cmd->data_len);

	err = va_admin_submit(a, req, &orphan);
	if (err) {
		dev_err(a->dev,
			"admin command %s (opcode %#x): queue %u refused it: %pe\n",
			name, cmd->opcode, a->index, ERR_PTR(err));
		if (err == -EIO)
			va_admin_stop(a, err);
		if (!orphan)
			va_admin_free_req(req);
		goto unlock;
	}
	a->cmds++;
	err = va_admin_wait(a, req);
	if (err == -ETIMEDOUT) {
		a->timeouts++;
		dev_err(a->dev,
			"admin command %s (opcode %#x, group type %u): no answer from the device within %u ms; admin queue %u stopped until the device is reset\n",
			name, cmd->opcode, cmd->group_type, a->timeout_ms,
			a->index);
	} else if (err) {
		dev_err(a->dev,
			"admin command %s (opcode %#x): admin queue %u broke while it was in flight; stopped until the device is reset\n",
			name, cmd->opcode, a->index);
	}
	if (err) {
		va_admin_stop(a, err);
		goto unlock;
	}
	err = va_admin_finish(a, req, cmd);
	va_admin_free_req(req);
unlock:
	mutex_unlock(&a->lock);
	return err;
}
EXPORT_SYMBOL_GPL(va_admin_exec);

/**
 * va_admin_setup() - LIST_QUERY, then LIST_USE, for the group type
 * @a: the state, attached to a queue of a live device (DRIVER_OK)
 *
 * Virtio 1.3, 2.12.1: asks the device which commands it supports for
 * @a->group_type (SR-IOV) and keeps the bitmap in @a->supported; checks
 * that LIST_QUERY and LIST_USE are in it, as they always are; then tells
 * the device, with LIST_USE, the commands this driver will use: the
 * supported ones it knows (2.12.1.2: no others), kept in @a->used.
 *
 * Context: process context, may sleep up to two command timeouts.
 * Return: 0 (@a->state VA_ADMIN_READY); -EPROTO if the LIST_QUERY result
 * lacks LIST_QUERY or LIST_USE; -EALREADY if already done; -ENODEV
 * without an admin queue; or an error of
 * va_admin_exec(). On failure @a->state is VA_ADMIN_FAILED, or
 * VA_ADMIN_STOPPED if the queue stopped.
 */
int va_admin_setup(struct va_admin *a)
{
	struct va_admin_cmd cmd = {
		.opcode = VIRTIO_ADMIN_CMD_LIST_QUERY,
		.group_type = a->group_type,
	};
	u64 supported[VA_ADMIN_WORDS], use;
	__le64 *words;
	unsigned int i;
	int err;

	if (a->state == VA_ADMIN_READY)
		return -EALREADY;
	if (a->state == VA_ADMIN_NONE)
		return -ENODEV;
	words = kcalloc(VA_ADMIN_WORDS, sizeof(*words), GFP_KERNEL);
	if (!words)
		return -ENOMEM;
	cmd.result = words;
	cmd.result_len = VA_ADMIN_WORDS * sizeof(*words);
	err = va_admin_exec(a, &cmd);
	if (err)
		goto fail;
	for (i = 0; i < VA_ADMIN_WORDS; i++)
		supported[i] = le64_to_cpu(words[i]);
	if ((supported[0] & VA_ADMIN_KNOWN) != VA_ADMIN_KNOWN) {
		dev_err(a->dev,
			"admin LIST_QUERY for group type %u: word 0 is %#llx in %zu bytes of result, without LIST_QUERY and LIST_USE (bits 0 and 1, 2.12.1: always set)\n",
			a->group_type, supported[0], cmd.result_got);
		err = -EPROTO;
		goto fail;
	}

	/* 2.12.1: the list is as long as its highest opcode needs: 1 word. */
	use = supported[0] & VA_ADMIN_KNOWN;
	words[0] = cpu_to_le64(use);
	cmd = (struct va_admin_cmd) {
		.opcode = VIRTIO_ADMIN_CMD_LIST_USE,
		.group_type = a->group_type,
		.data = words,
		.data_len = sizeof(*words),
	};
	err = va_admin_exec(a, &cmd);
	if (err)
		goto fail;

	mutex_lock(&a->lock);
	memcpy(a->supported, supported, sizeof(supported));
	memset(a->used, 0, sizeof(a->used));
	a->used[0] = use;
	a->state = VA_ADMIN_READY;
	a->err = 0;
	mutex_unlock(&a->lock);
	kfree(words);
	dev_info(a->dev,
		 "admin queue %u: group type %u supports commands %#llx %#llx %#llx %#llx (opcode n: bit n %% 64 of word n / 64), using %#llx\n",
		 a->index, a->group_type, supported[0], supported[1],
		 supported[2], supported[3], use);
	return 0;

fail:
	kfree(words);
	mutex_lock(&a->lock);
	if (a->state != VA_ADMIN_STOPPED) {
		a->state = VA_ADMIN_FAILED;
		a->err = err;
	}
	mutex_unlock(&a->lock);
	dev_err(a->dev, "admin queue %u: setup failed: %pe; no admin commands will be sent\n",
		a->index, ERR_PTR(err));
	return err;
}
EXPORT_SYMBOL_GPL(va_admin_setup);

/**
 * va_admin_recover() - take back every command buffer after a reset
 * @a: the state
 *
 * Call once the device no longer uses the queue (the device was reset,
 * 2.4): every command still on the ring (one the device never answered,
 * or one of a queue that broke) is detached and freed; a submitter still
 * waiting is woken with -EIO. The admin queue stays stopped: after a reset
 * the device has forgotten LIST_USE.
 *
 * Context: process context; takes @a->vq_lock.
 * Return: the number of command buffers taken back.
 */
unsigned int va_admin_recover(struct va_admin *a)
{
	struct va_admin_req *req;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&a->vq_lock, flags);
	if (!a->vq) {
		spin_unlock_irqrestore(&a->vq_lock, flags);
		return 0;
	}
	while ((req = vra_detach_unused_buf(a->vq))) {
		n++;
		req->on_ring = false;
		if (req->orphaned) {
			va_admin_free_req(req);
		} else {
			/* Its submitter still waits, and frees it. */
			req->broken = true;
			if (a->cur == req)
				a->cur = NULL;
			complete(&a->done);
		}
	}
	a->recovered += n;
	spin_unlock_irqrestore(&a->vq_lock, flags);
	if (a->state == VA_ADMIN_ATTACHED || a->state == VA_ADMIN_READY) {
		a->state = VA_ADMIN_STOPPED;
		a->err = -ESHUTDOWN;
	}
	if (n)
		dev_info(a->dev,
			 "admin queue %u: %u command buffer(s) taken back after the reset\n",
			 a->index, n);
	return n;
}
EXPORT_SYMBOL_GPL(va_admin_recover);

/**
 * va_admin_detach() - stop using the admin queue before it is deleted
 * @a: the state
 *
 * Waits for a command being run, takes back what is left on the ring (see
 * va_admin_recover(); the device must not use the queue any more) and
 * forgets the queue. The bitmaps and counters stay for debugfs.
 *
 * Context: process context, may sleep; takes @a->lock.
 */
void va_admin_detach(struct va_admin *a)
{
	unsigned long flags;

	mutex_lock(&a->lock);
	va_admin_recover(a);
	spin_lock_irqsave(&a->vq_lock, flags);
	a->vq = NULL;
	a->cur = NULL;
	spin_unlock_irqrestore(&a->vq_lock, flags);
	a->state = VA_ADMIN_NONE;
	mutex_unlock(&a->lock);
}
EXPORT_SYMBOL_GPL(va_admin_detach);

/**
 * va_admin_run_serialized() - run @fn on the admin queue under its lock
 * @a: the state
 * @fn: what to run, e.g. vra_dump_ring() for debugfs; it must not sleep
 * @arg: for @fn
 *
 * @a->vq_lock is what every ring operation on the admin queue holds
 * (submission, the used buffer callback, recovery), so @fn sees the
 * driver's side of the ring consistent.
 *
 * Context: any; takes @a->vq_lock with interrupts off.
 * Return: what @fn returned, or -ENODEV when no admin queue is attached.
 */
int va_admin_run_serialized(struct va_admin *a,
			    int (*fn)(struct virtqueue *vq, void *arg),
			    void *arg)
{
	unsigned long flags;
	int ret = -ENODEV;

	spin_lock_irqsave(&a->vq_lock, flags);
	if (a->vq)
		ret = fn(a->vq, arg);
	spin_unlock_irqrestore(&a->vq_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(va_admin_run_serialized);

static void va_admin_show_cmds(struct seq_file *s, const char *what,
			       const u64 *words)
{
	unsigned int op, i;

	seq_printf(s, "%s", what);
	for (i = 0; i < VA_ADMIN_WORDS; i++)
		seq_printf(s, " 0x%016llx", words[i]);
	seq_printf(s, "\n%s_cmds", what);
	for (op = 0; op < VA_ADMIN_OPCODES; op++) {
		if (!(words[op / 64] & BIT_ULL(op % 64)))
			continue;
		if (op < ARRAY_SIZE(va_admin_names) && va_admin_names[op])
			seq_printf(s, " %s", va_admin_names[op]);
		else
			seq_printf(s, " %#x", op);
	}
	seq_putc(s, '\n');
}

/**
 * va_admin_show() - print the admin queue state
 * @a: the state
 * @s: where to print
 *
 * Lines: "state <none|attached|ready|failed|stopped> [error]",
 * "queue_index <n> admin_queues <n>" (the queue used, the device's count),
 * "group_type <n>", "supported" and "used" with the
 * four 64-bit words of the command bitmaps (opcode n is bit n % 64 of
 * word n / 64), "supported_cmds" and "used_cmds" with the opcodes by name,
 * and "commands <n> errors <n> bad_len <n> timeouts <n> recovered <n>".
 *
 * Context: process context, may sleep; takes @a->lock.
 */
void va_admin_show(struct va_admin *a, struct seq_file *s)
{
	mutex_lock(&a->lock);
	seq_printf(s, "state %s", va_admin_state_names[a->state]);
	if (a->err)
		seq_printf(s, " %pe", ERR_PTR(a->err));
	seq_putc(s, '\n');
	if (a->count)
		seq_printf(s, "queue_index %u admin_queues %u\n", a->index,
			   a->count);
	seq_printf(s, "group_type %u\n", a->group_type);
	va_admin_show_cmds(s, "supported", a->supported);
	va_admin_show_cmds(s, "used", a->used);
	seq_printf(s, "commands %llu errors %llu bad_len %llu timeouts %llu recovered %llu\n",
		   a->cmds, a->errors, a->bad_len, a->timeouts, a->recovered);
	mutex_unlock(&a->lock);
}
EXPORT_SYMBOL_GPL(va_admin_show);

static int va_admin_file_show(struct seq_file *s, void *unused)
{
	va_admin_show(s->private, s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(va_admin_file);

/**
 * va_admin_debugfs() - add the file "admin" to a device's debugfs directory
 * @a: the state; must outlive @dir
 * @dir: the device's directory
 *
 * The file prints va_admin_show().
 *
 * Context: process context.
 */
void va_admin_debugfs(struct va_admin *a, struct dentry *dir)
{
	debugfs_create_file("admin", 0444, dir, a, &va_admin_file_fops);
}
EXPORT_SYMBOL_GPL(va_admin_debugfs);
