// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite virtio_alt_admin: admin.c (the admin virtqueue, virtio 1.3,
 * 2.12 and 2.13) against an owner device built on the device model.
 *
 * The owner device below is written from the specification: it reads
 * struct virtio_admin_cmd from the device-readable part of each buffer,
 * validates group type, opcode and the list of commands in use as 2.12.1.1
 * says, answers LIST_QUERY and LIST_USE, writes status and result into
 * the device-writable part (truncated to it, 2.13.1) and reports the bytes
 * written as used length. A script makes it answer with an error status,
 * report a wrong used length, or not answer at all. It runs in a work item
 * after each notification, as a device runs beside its driver.
 *
 * The admin queue range is read from a common configuration structure in
 * normal memory laid out as virtio-pci's (4.1.4.3).
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/workqueue.h>

#include "../admin.h"
#include "vdm.h"

/* The device's own constants, from 2.12 and 2.12.1. */
#define DEV_GROUP_SRIOV		1
#define DEV_LIST_QUERY		0x0
#define DEV_LIST_USE		0x1
#define DEV_ST_OK		0
#define DEV_ST_EINVAL		22
#define DEV_Q_INVALID_OPCODE	2
#define DEV_Q_INVALID_FIELD	3
#define DEV_Q_INVALID_GROUP	4
#define DEV_HDR_LEN		24	/* opcode .. group_member_id */
#define DEV_STATUS_LEN		8	/* status .. reserved2 */
#define DEV_WORDS		4	/* opcodes the model knows: 0..255 */
#define DEV_ANY_OPCODE		0xffff

enum adm_mode {
	ADM_ANSWER,		/* as the specification says */
	ADM_STATUS,		/* @status/@qualifier for @opcode, no effect */
	ADM_LEN,		/* report @len (or posted + 8) for @opcode */
	ADM_SILENT,		/* take the buffer, never use it */
};

struct adm_dev {
	struct kunit *test;
	struct vdm *m;
	struct va_admin *a;
	struct work_struct work;

	/* Script. */
	enum adm_mode mode;
	u16 opcode;		/* the command the script applies to */
	u16 status;
	u16 qualifier;
	u32 len;
	bool len_over;

	/* The device's state, 2.12.1. */
	u64 supported[DEV_WORDS];
	unsigned int result_words;	/* LIST_QUERY result length, words */
	u64 in_use[DEV_WORDS];

	/* What it saw. */
	unsigned int cmds, queries, uses;
	u16 last_opcode, last_group;
	u64 last_member;
	size_t last_out, last_in;
	u64 use_data[DEV_WORDS];
};

/* 2.12.1.1: the list in use after reset is LIST_QUERY and LIST_USE. */
static void adm_dev_reset(struct adm_dev *d)
{
	memset(d->in_use, 0, sizeof(d->in_use));
	d->in_use[0] = BIT_ULL(DEV_LIST_QUERY) | BIT_ULL(DEV_LIST_USE);
}

static bool adm_bit(const u64 *words, u16 op)
{
	return op < DEV_WORDS * 64 && (words[op / 64] & BIT_ULL(op % 64));
}

/* One command: 2.12.1 and 2.13, the device's side. */
static u32 adm_serve(struct vdm *m, const struct vdm_elem *e, unsigned int n)
{
	struct adm_dev *d = m->priv;
	struct kunit *test = d->test;
	u8 hdr[DEV_HDR_LEN], st[DEV_STATUS_LEN] = { };
	__le64 res[DEV_WORDS] = { };
	size_t out = 0, in = 0, rlen = 0, put;
	u16 op, group, status = DEV_ST_OK, q = 0;
	unsigned int i;
	u64 member;

	for (i = 0; i < n; i++) {
		if (e[i].write)
			in += e[i].len;
		else
			out += e[i].len;
	}
	d->cmds++;
	/* 2.13.2: both parts present, each a multiple of 64 bits. */
	if (!out || !in || out % 8 || in % 8)
		KUNIT_FAIL(test, "driver: readable %zu, writable %zu bytes",
			   out, in);
	vdm_read(e, n, 0, hdr, sizeof(hdr));
	op = get_unaligned_le16(hdr);
	group = get_unaligned_le16(hdr + 2);
	member = get_unaligned_le64(hdr + 16);
	d->last_opcode = op;
	d->last_group = group;
	d->last_member = member;
	d->last_out = out;
	d->last_in = in;

	if (d->mode == ADM_STATUS &&
	    (d->opcode == DEV_ANY_OPCODE || d->opcode == op)) {
		status = d->status;
		q = d->qualifier;
	} else if (group != DEV_GROUP_SRIOV) {
		status = DEV_ST_EINVAL;
		q = DEV_Q_INVALID_GROUP;
	} else if (!adm_bit(d->supported, op) || !adm_bit(d->in_use, op)) {
		/* Unsupported, or not in the list the driver uses. */
		status = DEV_ST_EINVAL;
		q = DEV_Q_INVALID_OPCODE;
	} else if (op == DEV_LIST_QUERY) {
		d->queries++;
		KUNIT_EXPECT_EQ_MSG(test, member, 0,
				    "LIST_QUERY: group_member_id is unused, set to zero");
		for (i = 0; i < d->result_words; i++)
			res[i] = cpu_to_le64(d->supported[i]);
		rlen = d->result_words * sizeof(u64);
	} else if (op == DEV_LIST_USE) {
		u64 data[DEV_WORDS + 1];
		bool ok = true;

		KUNIT_EXPECT_EQ_MSG(test, member, 0,
				    "LIST_USE: group_member_id is unused, set to zero");
		/* Missing words read as zero; one more word than we know. */
		vdm_read(e, n, DEV_HDR_LEN, data, sizeof(data));
		for (i = 0; i < DEV_WORDS + 1; i++) {
			u64 w = le64_to_cpu((__force __le64)data[i]);
			u64 sup = i < DEV_WORDS ? d->supported[i] : 0;

			if (i < DEV_WORDS)
				d->use_data[i] = w;
			if (w & ~sup) {
				/* 2.12.1.2: MUST NOT request unsupported. */
				KUNIT_FAIL(test, "driver: LIST_USE word %u %#llx, supported %#llx",
					   i, w, sup);
				ok = false;
			}
		}
		if (ok) {
			d->uses++;
			memcpy(d->in_use, d->use_data, sizeof(d->in_use));
		} else {
			status = DEV_ST_EINVAL;
			q = DEV_Q_INVALID_FIELD;
		}
	}

	put_unaligned_le16(status, st);
	put_unaligned_le16(q, st + 2);
	put = vdm_write(e, n, 0, st, sizeof(st));
	put += vdm_write(e, n, DEV_STATUS_LEN, res, rlen);
	if (d->mode == ADM_LEN && d->opcode == op)
		return d->len_over ? in + 8 : d->len;
	return put;
}

/* The device's engine: run while notified. */
static void adm_work(struct work_struct *work)
{
	struct adm_dev *d = container_of(work, struct adm_dev, work);
	struct vdm *m = d->m;

	if (d->mode == ADM_SILENT) {
		m->awake = true;
		vdm_take(m);
		return;
	}
	do {
		m->awake = true;
		vdm_run(m);
		cond_resched();
	} while (m->awake);
}

/* In the driver's kick, under its lock: only schedule the device. */
static void adm_notified(struct vdm *m)
{
	struct adm_dev *d = m->priv;

	schedule_work(&d->work);
}

static void adm_callback(struct vdm *m)
{
	struct adm_dev *d = m->priv;

	va_admin_done(d->a);
}

static void adm_cancel(void *p)
{
	struct adm_dev *d = p;

	cancel_work_sync(&d->work);
}

static void adm_detach(void *a)
{
	va_admin_detach(a);
}

/* A device whose group type 1 supports opcodes 0, 1, 6, 0x11 and 0x82. */
static struct adm_dev *adm_create(struct kunit *test, bool packed,
				  unsigned int num, unsigned int timeout_ms)
{
	struct vdm_script s = {
		.order = VDM_ORDER_IN,
		.honour_suppression = true,
		.len = VDM_LEN_ALL,
	};
	struct adm_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	d->a = kunit_kzalloc(test, sizeof(*d->a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d->a);
	d->test = test;
	d->m = vdm_create(test, num, packed ? BIT_ULL(VIRTIO_F_RING_PACKED) : 0,
			  &s, 1);
	d->m->priv = d;
	d->m->serve = adm_serve;
	d->m->notified = adm_notified;
	d->m->callback = adm_callback;
	INIT_WORK(&d->work, adm_work);
	d->supported[0] = BIT_ULL(DEV_LIST_QUERY) | BIT_ULL(DEV_LIST_USE) |
			  BIT_ULL(6) | BIT_ULL(0x11);
	d->supported[2] = BIT_ULL(0x82 - 128);
	d->result_words = 3;
	adm_dev_reset(d);

	va_admin_init(d->a, &d->m->vdev->dev, timeout_ms);
	/* Cleanup runs backwards: the device stops, then the driver. */
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, adm_detach,
							   d->a));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, adm_cancel,
							   d));
	KUNIT_ASSERT_EQ(test, va_admin_attach(d->a, d->m->vq, 1), 0);
	KUNIT_ASSERT_EQ(test, d->a->state, VA_ADMIN_ATTACHED);
	return d;
}

/* va_admin_show() into @buf, NUL-terminated. */
static void adm_show(struct kunit *test, struct va_admin *a, char *buf,
		     size_t size)
{
	struct seq_file s = { .buf = buf, .size = size };

	va_admin_show(a, &s);
	KUNIT_ASSERT_LT_MSG(test, s.count, size, "show overflowed");
	buf[s.count] = '\0';
}

/* @buf has the line @want. */
static void adm_expect_line(struct kunit *test, const char *buf,
			    const char *want)
{
	size_t n = strlen(want);
	const char *p;

	for (p = buf; (p = strstr(p, want)); p++)
		if ((p == buf || p[-1] == '\n') && p[n] == '\n')
			return;
	KUNIT_FAIL(test, "no line \"%s\" in:\n%s", want, buf);
}

static int adm_dump(struct virtqueue *vq, void *s)
{
	return vra_dump_ring(vq, s);
}

/* A line of @buf starting with @prefix contains @part. */
static void adm_expect_in_line(struct kunit *test, const char *buf,
			       const char *prefix, const char *part)
{
	size_t n = strlen(prefix);
	const char *p, *end;

	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, prefix, n))
			continue;
		end = strchrnul(p, '\n');
		if (strnstr(p, part, end - p))
			return;
	}
	KUNIT_FAIL(test, "no line \"%s...%s\" in:\n%s", prefix, part, buf);
}

/* ---- setup succeeds ---- */

struct adm_ring {
	bool packed;
	unsigned int num;
};

static const struct adm_ring adm_rings[] = {
	{ false, 2 }, { false, 64 }, { true, 2 }, { true, 64 },
};

static void adm_ring_desc(const struct adm_ring *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s n=%u",
		 r->packed ? "packed" : "split", r->num);
}

KUNIT_ARRAY_PARAM(adm_ring, adm_rings, adm_ring_desc);

/*
 * LIST_QUERY then LIST_USE: the bitmap is the device's, the driver uses
 * only the two commands it knows, and the device saw both commands with
 * the SR-IOV group type and parts of the right sizes.
 */
static void admin_setup_queries_then_uses(struct kunit *test)
{
	const struct adm_ring *r = test->param_value;
	struct adm_dev *d = adm_create(test, r->packed, r->num, 10000);
	struct va_admin *a = d->a;
	struct va_admin_cmd cmd = { .opcode = 6, .group_type = 1 };
	char *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	__le64 word0 = 0;
	char *line, *end;
	u64 notifies;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, va_admin_setup(a), 0);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_READY);
	for (i = 0; i < VA_ADMIN_WORDS; i++)
		KUNIT_EXPECT_EQ_MSG(test, a->supported[i],
				    i < DEV_WORDS ? d->supported[i] : 0,
				    "supported word %u", i);
	KUNIT_EXPECT_EQ(test, a->used[0], 0x3);
	KUNIT_EXPECT_EQ(test, a->used[1] | a->used[2] | a->used[3], 0);
	KUNIT_EXPECT_EQ(test, d->queries, 1);
	KUNIT_EXPECT_EQ(test, d->uses, 1);
	KUNIT_EXPECT_EQ(test, d->in_use[0], 0x3);
	KUNIT_EXPECT_EQ(test, d->last_opcode, DEV_LIST_USE);
	KUNIT_EXPECT_EQ(test, d->last_group, DEV_GROUP_SRIOV);
	/* LIST_USE: header and one word; status only. */
	KUNIT_EXPECT_EQ(test, d->last_out, DEV_HDR_LEN + 8);
	KUNIT_EXPECT_EQ(test, d->last_in, DEV_STATUS_LEN);
	KUNIT_EXPECT_EQ(test, a->cmds, 2);
	KUNIT_EXPECT_EQ(test, a->errors + a->bad_len + a->timeouts, 0);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, r->num);
	KUNIT_EXPECT_EQ(test, d->m->c.violations, 0);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(d->m->vq));

	adm_show(test, a, buf, 1024);
	/* What debugfs "admin" shows, one KTAP diagnostic line each. */
	for (line = buf; (end = strchr(line, '\n')); line = end + 1)
		kunit_info(test, "admin: %.*s", (int)(end - line), line);
	adm_expect_line(test, buf, "state ready");
	adm_expect_line(test, buf, "queue_index 3 admin_queues 1");
	adm_expect_line(test, buf,
			"supported 0x0000000000020043 0x0000000000000000 0x0000000000000004 0x0000000000000000");
	adm_expect_line(test, buf,
			"supported_cmds LIST_QUERY LIST_USE LEGACY_NOTIFY_INFO DEV_MODE_SET 0x82");
	adm_expect_line(test, buf, "used_cmds LIST_QUERY LIST_USE");
	adm_expect_line(test, buf,
			"commands 2 errors 0 bad_len 0 timeouts 0 recovered 0");

	/* Supported but not used: refused before the device sees it. */
	notifies = d->m->c.notifies;
	KUNIT_EXPECT_EQ(test, va_admin_exec(a, &cmd), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, d->m->c.notifies, notifies);

	/* A result buffer shorter than the device's list: truncated. */
	cmd = (struct va_admin_cmd){
		.opcode = DEV_LIST_QUERY, .group_type = 1,
		.result = &word0, .result_len = sizeof(word0),
	};
	KUNIT_EXPECT_EQ(test, va_admin_exec(a, &cmd), 0);
	KUNIT_EXPECT_EQ(test, cmd.result_got, sizeof(word0));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(word0), d->supported[0]);
	KUNIT_EXPECT_EQ(test, d->last_in, DEV_STATUS_LEN + sizeof(word0));
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, r->num);
}

/* ---- the device answers with an error status ---- */

struct adm_status_case {
	u16 opcode;
	u16 status;
	u16 qualifier;
	int err;
};

static const struct adm_status_case adm_status_cases[] = {
	{ DEV_LIST_QUERY, DEV_ST_EINVAL, DEV_Q_INVALID_GROUP, -EINVAL },
	{ DEV_LIST_QUERY, 11, 7, -EAGAIN },
	{ DEV_LIST_QUERY, 12, 6, -ENOMEM },
	{ DEV_LIST_QUERY, 99, 0x99, -EINVAL },	/* reserved status */
	{ DEV_LIST_USE, DEV_ST_EINVAL, DEV_Q_INVALID_FIELD, -EINVAL },
	{ DEV_LIST_USE, 16, 1, -EBUSY },
};

static void adm_status_desc(const struct adm_status_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s status %u qualifier %#x",
		 c->opcode == DEV_LIST_QUERY ? "LIST_QUERY" : "LIST_USE",
		 c->status, c->qualifier);
}

KUNIT_ARRAY_PARAM(adm_status, adm_status_cases, adm_status_desc);

/* An error status fails setup with it as errno; nothing is in use. */
static void admin_error_status_fails_setup(struct kunit *test)
{
	const struct adm_status_case *c = test->param_value;
	struct adm_dev *d = adm_create(test, false, 8, 10000);
	struct va_admin *a = d->a;
	unsigned int i;

	d->mode = ADM_STATUS;
	d->opcode = c->opcode;
	d->status = c->status;
	d->qualifier = c->qualifier;
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), c->err);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_FAILED);
	KUNIT_EXPECT_EQ(test, a->err, c->err);
	KUNIT_EXPECT_EQ(test, a->errors, 1);
	/* Nothing after the failed command. */
	KUNIT_EXPECT_EQ(test, d->last_opcode, c->opcode);
	KUNIT_EXPECT_EQ(test, d->cmds, c->opcode == DEV_LIST_QUERY ? 1 : 2);
	KUNIT_EXPECT_EQ(test, d->uses, 0);
	for (i = 0; i < VA_ADMIN_WORDS; i++)
		KUNIT_EXPECT_EQ(test, a->used[i], 0);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, 8);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(d->m->vq));
	/* The queue still works: setup can be tried again. */
	d->mode = ADM_ANSWER;
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), 0);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_READY);
	KUNIT_EXPECT_EQ(test, a->supported[2], d->supported[2]);
}

/* ---- the device reports a used length without a whole status ---- */

struct adm_len_case {
	u32 len;
	int err;
	u64 bad_len;
};

static const struct adm_len_case adm_len_cases[] = {
	{ 0, -EPROTO, 1 },	/* nothing written: status missing */
	{ 4, -EPROTO, 1 },	/* status without reserved2 */
	{ 12, -EPROTO, 1 },	/* not a multiple of 8 */
	{ 8, -EPROTO, 0 },	/* status OK, no result: word 0 missing */
	{ 16, 0, 0 },		/* word 0 only: the rest reads as zero */
};

static void adm_len_desc(const struct adm_len_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "used length %u", c->len);
}

KUNIT_ARRAY_PARAM(adm_len, adm_len_cases, adm_len_desc);

/*
 * A short used length: the driver reads nothing past it, though the device
 * wrote the whole answer into the buffer.
 */
static void admin_short_used_length(struct kunit *test)
{
	const struct adm_len_case *c = test->param_value;
	struct adm_dev *d = adm_create(test, false, 8, 10000);
	struct va_admin *a = d->a;

	d->mode = ADM_LEN;
	d->opcode = DEV_LIST_QUERY;
	d->len = c->len;
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), c->err);
	KUNIT_EXPECT_EQ(test, a->bad_len, c->bad_len);
	KUNIT_EXPECT_EQ(test, d->queries, 1);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, 8);
	KUNIT_EXPECT_FALSE(test, vra_is_broken(d->m->vq));
	if (c->err) {
		KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_FAILED);
		KUNIT_EXPECT_EQ(test, d->uses, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_READY);
	KUNIT_EXPECT_EQ(test, a->supported[0], d->supported[0]);
	/* Written by the device, but beyond the used length. */
	KUNIT_EXPECT_EQ(test, a->supported[2], 0);
}

/*
 * A used length beyond the buffer: the ring breaks the queue, the command
 * fails at once (no timeout), and its buffers come back after the reset.
 */
static void admin_oversized_used_length_breaks_queue(struct kunit *test)
{
	struct adm_dev *d = adm_create(test, false, 8, 10000);
	struct va_admin *a = d->a;
	struct va_admin_cmd cmd = { .opcode = DEV_LIST_QUERY, .group_type = 1 };
	ktime_t t0 = ktime_get();
	u64 notifies;

	d->mode = ADM_LEN;
	d->opcode = DEV_LIST_QUERY;
	d->len_over = true;
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), -EIO);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 5000);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_STOPPED);
	KUNIT_EXPECT_EQ(test, vdm_broken(d->m, VRA_BROKEN_used_len), 1);
	KUNIT_EXPECT_EQ(test, a->timeouts, 0);
	notifies = d->m->c.notifies;
	KUNIT_EXPECT_EQ(test, va_admin_exec(a, &cmd), -EIO);
	KUNIT_EXPECT_EQ(test, d->m->c.notifies, notifies);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, 8 - 2);
	/* The device is reset: the command's buffers come back. */
	KUNIT_EXPECT_EQ(test, va_admin_recover(a), 1);
	KUNIT_EXPECT_EQ(test, a->recovered, 1);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, 8);
}

/*
 * The device takes the command and never answers: the wait ends after the
 * timeout, the queue stops, later commands fail at once, and the buffers
 * come back after the reset.
 */
static void admin_no_answer_times_out(struct kunit *test)
{
	const struct adm_ring *r = test->param_value;
	struct adm_dev *d = adm_create(test, r->packed, r->num, 200);
	struct va_admin *a = d->a;
	struct va_admin_cmd cmd = { .opcode = DEV_LIST_QUERY, .group_type = 1 };
	ktime_t t0 = ktime_get();
	s64 ms;
	u64 notifies;

	d->mode = ADM_SILENT;
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), -ETIMEDOUT);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_GE(test, ms, 200);
	KUNIT_EXPECT_LT(test, ms, 5000);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_STOPPED);
	KUNIT_EXPECT_EQ(test, a->err, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, a->timeouts, 1);
	KUNIT_EXPECT_TRUE(test, vra_is_broken(d->m->vq));
	flush_work(&d->work);
	KUNIT_EXPECT_EQ(test, vdm_pending(d->m), 1);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, r->num - 2);

	/*
	 * The ring dump under the admin queue's lock (debugfs vq<N>/ring)
	 * names the command left on the stopped queue: id 0, a
	 * device-readable descriptor chained to a device-writable one.
	 */
	{
		char *buf = kunit_kzalloc(test, SZ_64K, GFP_KERNEL);
		struct seq_file s = { .buf = buf, .size = SZ_64K };

		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_ASSERT_EQ(test, va_admin_run_serialized(a, adm_dump, &s),
				0);
		KUNIT_ASSERT_LT(test, s.count, SZ_64K);
		buf[s.count] = '\0';
		adm_expect_line(test, buf, "broken 1");
		adm_expect_line(test, buf, "in_flight 1");
		adm_expect_in_line(test, buf, "inflight id 0 ",
				   "descs 2 in_len ");
		adm_expect_in_line(test, buf, "desc 0 ", r->packed ?
				   "flags 0x0081 NEXT|AVAIL" :
				   "flags 0x0001 NEXT next 1");
		adm_expect_in_line(test, buf, "desc 1 ", r->packed ?
				   "flags 0x0082 WRITE|AVAIL" :
				   "flags 0x0002 WRITE");
	}

	notifies = d->m->c.notifies;
	KUNIT_EXPECT_EQ(test, va_admin_exec(a, &cmd), -EIO);
	KUNIT_EXPECT_EQ(test, d->m->c.notifies, notifies);

	KUNIT_EXPECT_EQ(test, va_admin_recover(a), 1);
	KUNIT_EXPECT_EQ(test, va_admin_recover(a), 0);
	KUNIT_EXPECT_EQ(test, a->recovered, 1);
	KUNIT_EXPECT_EQ(test, d->m->vq->num_free, r->num);
}

/* ---- where the admin queues are ---- */

/* 4.1.4.3: the common configuration structure, 1.3 layout. */
struct adm_common_cfg {
	struct virtio_pci_common_cfg cfg;
	__le16 queue_notif_config_data;
	__le16 queue_reset;
	__le16 admin_queue_index;
	__le16 admin_queue_num;
};

struct adm_range_case {
	u16 num_queues;
	u16 index;
	u16 num;
	int err;
};

static const struct adm_range_case adm_range_cases[] = {
	{ 2, 2, 1, 0 },
	{ 2, 5, 3, 0 },
	{ 0, 0, 1, 0 },
	{ 2, 0xffff, 1, 0 },
	{ 2, 1, 1, -EINVAL },		/* among the other queues */
	{ 2, 0, 1, -EINVAL },
	{ 2, 2, 0, -EINVAL },		/* no admin queue */
	{ 2, 0xffff, 2, -EINVAL },	/* past index 65535 */
	{ 2, 0xfff0, 0x11, -EINVAL },
	{ 0xffff, 0xffff, 1, 0 },
};

static void adm_range_desc(const struct adm_range_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "num_queues %u admin_queue_index %u admin_queue_num %u",
		 c->num_queues, c->index, c->num);
}

KUNIT_ARRAY_PARAM(adm_range, adm_range_cases, adm_range_desc);

static void admin_queue_range_checked(struct kunit *test)
{
	const struct adm_range_case *c = test->param_value;
	struct adm_common_cfg *cc = kunit_kzalloc(test, sizeof(*cc),
						  GFP_KERNEL);
	struct device *dev = kunit_device_register(test, "va-kunit-admin");
	const __le16 __iomem *nq, *idx, *num;
	u16 first = 0xabcd, count = 0xabcd;

	BUILD_BUG_ON(offsetof(struct adm_common_cfg, cfg.num_queues) != 18);
	BUILD_BUG_ON(offsetof(struct adm_common_cfg, admin_queue_index) != 60);
	BUILD_BUG_ON(offsetof(struct adm_common_cfg, admin_queue_num) != 62);
	KUNIT_ASSERT_NOT_NULL(test, cc);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	cc->cfg.num_queues = cpu_to_le16(c->num_queues);
	cc->admin_queue_index = cpu_to_le16(c->index);
	cc->admin_queue_num = cpu_to_le16(c->num);
	/* Normal memory read as the device's registers. */
	nq = (__force const __le16 __iomem *)&cc->cfg.num_queues;
	idx = (__force const __le16 __iomem *)&cc->admin_queue_index;
	num = (__force const __le16 __iomem *)&cc->admin_queue_num;
	KUNIT_EXPECT_EQ(test, c->err,
			va_admin_read_range(dev, nq, idx, num, &first, &count));
	KUNIT_EXPECT_EQ(test, first, c->err ? 0xabcd : c->index);
	KUNIT_EXPECT_EQ(test, count, c->err ? 0xabcd : c->num);
}

/* ---- a queue too small, no queue ---- */

static void admin_queue_needs_two_entries(struct kunit *test)
{
	struct vdm_script s = { .honour_suppression = true };
	struct vdm *m = vdm_create(test, 1, 0, &s, 1);
	struct va_admin *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct va_admin_cmd cmd = { .opcode = DEV_LIST_QUERY, .group_type = 1 };

	KUNIT_ASSERT_NOT_NULL(test, a);
	va_admin_init(a, &m->vdev->dev, 100);
	KUNIT_EXPECT_EQ(test, va_admin_exec(a, &cmd), -ENODEV);
	KUNIT_EXPECT_EQ(test, va_admin_setup(a), -ENODEV);
	KUNIT_EXPECT_EQ(test, va_admin_attach(a, m->vq, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, a->state, VA_ADMIN_NONE);
	KUNIT_EXPECT_EQ(test, m->c.notifies, 0);
}

static struct kunit_case va_admin_cases[] = {
	KUNIT_CASE_PARAM(admin_setup_queries_then_uses, adm_ring_gen_params),
	KUNIT_CASE_PARAM(admin_error_status_fails_setup,
			 adm_status_gen_params),
	KUNIT_CASE_PARAM(admin_short_used_length, adm_len_gen_params),
	KUNIT_CASE(admin_oversized_used_length_breaks_queue),
	KUNIT_CASE_PARAM(admin_no_answer_times_out, adm_ring_gen_params),
	KUNIT_CASE_PARAM(admin_queue_range_checked, adm_range_gen_params),
	KUNIT_CASE(admin_queue_needs_two_entries),
	{}
};

static struct kunit_suite va_admin_suite = {
	.name = "virtio_alt_admin",
	.test_cases = va_admin_cases,
};

kunit_test_suites(&va_admin_suite);
