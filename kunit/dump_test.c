// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite virtio_alt_dump: vra_dump_ring() against the device model.
 *
 * Five buffers of known shapes go on a fresh 8-entry ring; the model takes
 * four, uses two, the driver takes one back; the fifth stays available and
 * untaken. The dump must name every buffer still in flight where it lies:
 * descriptor ids, ring positions, addresses (the test's own memory),
 * lengths, flags, chain links, indirect tables, the indexes and wrap
 * counters, and the event suppression fields as the model sees them.
 * Also: the dump stays bounded on a large ring, and vra_reset_stats().
 */
#include <kunit/test.h>
#include <linux/io.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/virtio_config.h>

#include "vdm.h"

#define DUMP_NUM	8
#define DUMP_BUFS	5
#define DUMP_BUF_SIZE	SZ_64K

/* A buffer's elements: one device-readable, then device-writable ones. */
struct dump_shape {
	unsigned int n_in;
	u32 len[3];
};

static const struct dump_shape dump_shapes[DUMP_BUFS] = {
	{ 0, { 16 } },			/* B0: used and taken back */
	{ 1, { 16, 64 } },		/* B1: used, not taken back */
	{ 2, { 16, 32, 48 } },		/* B2: taken by the device */
	{ 0, { 24 } },			/* B3: taken by the device */
	{ 1, { 16, 8 } },		/* B4: available, not taken */
};

/*
 * Where each buffer lies on a fresh ring: its id (split: head descriptor;
 * packed: buffer id) and its ring positions (split: descriptor indexes;
 * packed: slots). Descriptors and ids are taken from 0 up; B0's go back
 * to the tail of the free list when it is taken back, after those never
 * used, so B4 takes the next free ones first and then wraps to B0's.
 */
struct dump_where {
	u16 id;
	u16 pos[3];
};

struct dump_param {
	bool packed;
	bool indirect;
	bool event_idx;
};

static const struct dump_param dump_params[] = {
	{ false, false, false }, { false, false, true },
	{ false, true, false }, { false, true, true },
	{ true, false, false }, { true, false, true },
	{ true, true, false }, { true, true, true },
};

static void dump_param_desc(const struct dump_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s%s",
		 p->packed ? "packed" : "split",
		 p->indirect ? "indirect" : "chained",
		 p->event_idx ? " event_idx" : "");
}

KUNIT_ARRAY_PARAM(dump, dump_params, dump_param_desc);

static const struct dump_where dump_split_chained[DUMP_BUFS] = {
	{ 0, { 0 } }, { 1, { 1, 2 } }, { 3, { 3, 4, 5 } }, { 6, { 6 } },
	{ 7, { 7, 0 } },
};

static const struct dump_where dump_split_indirect[DUMP_BUFS] = {
	{ 0, { 0 } }, { 1, { 1 } }, { 2, { 2 } }, { 3, { 3 } }, { 4, { 4 } },
};

/* Packed slots run on: B4's second descriptor wraps to slot 0. */
static const struct dump_where dump_packed_chained[DUMP_BUFS] = {
	{ 0, { 0 } }, { 1, { 1, 2 } }, { 3, { 3, 4, 5 } }, { 6, { 6 } },
	{ 7, { 7, 0 } },
};

static const struct dump_where dump_packed_indirect[DUMP_BUFS] = {
	{ 0, { 0 } }, { 1, { 1 } }, { 2, { 2 } }, { 3, { 3 } }, { 4, { 4 } },
};

/* A seq_file on plain memory, as vra_dump_ring() takes it outside debugfs. */
static struct seq_file *dump_seq(struct kunit *test, size_t size)
{
	struct seq_file *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->buf);
	s->size = size;
	return s;
}

static const char *dump_text(struct kunit *test, struct virtqueue *vq,
			     size_t size)
{
	struct seq_file *s = dump_seq(test, size);

	KUNIT_ASSERT_EQ(test, vra_dump_ring(vq, s), 0);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(s));
	KUNIT_ASSERT_LT(test, s->count, size);
	s->buf[s->count] = '\0';
	return s->buf;
}

/* The line that starts with @prefix, or NULL. */
static const char *dump_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			return p;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static unsigned int dump_count(const char *text, const char *prefix)
{
	unsigned int n = 0;
	const char *p = text;

	while ((p = dump_line(p, prefix))) {
		n++;
		p += strlen(prefix);
	}
	return n;
}

/* The value after "@key " in the line starting with @prefix. */
static unsigned long long dump_field(struct kunit *test, const char *text,
				     const char *prefix, const char *key)
{
	const char *line = dump_line(text, prefix), *end, *k;
	char pat[32];
	unsigned long long v;
	int got;

	KUNIT_ASSERT_NOT_NULL_MSG(test, line, "no line '%s' in:\n%s", prefix,
				  text);
	end = strchrnul(line, '\n');
	snprintf(pat, sizeof(pat), " %s ", key);
	k = strnstr(line, pat, end - line);
	if (!k && !strncmp(line, pat + 1, strlen(pat) - 1))
		k = line - 1;	/* the key opens the line */
	KUNIT_ASSERT_NOT_NULL_MSG(test, k, "no '%s' in line '%.*s'", key,
				  (int)(end - line), line);
	got = sscanf(k + strlen(pat), "%lli", &v);
	KUNIT_ASSERT_EQ_MSG(test, got, 1, "'%s' in '%.*s' is not a number",
			    key, (int)(end - line), line);
	return v;
}

/* Flags as the dump names them: " flags 0xXXXX NAMES " in @line. */
static void dump_expect_flags(struct kunit *test, const char *text,
			      const char *prefix, u16 flags, const char *names)
{
	char want[64];
	const char *line = dump_line(text, prefix);

	KUNIT_ASSERT_NOT_NULL(test, line);
	snprintf(want, sizeof(want), " flags 0x%04x %s", flags, names);
	KUNIT_EXPECT_NOT_NULL_MSG(test,
				  strnstr(line, want, strchrnul(line, '\n') - line),
				  "'%s' not in '%.*s'", want,
				  (int)(strchrnul(line, '\n') - line), line);
}

struct dump_case {
	struct kunit *test;
	const struct dump_param *p;
	struct vdm *m;
	void *mem[DUMP_BUFS][3];
	const struct dump_where *where;
};

static void dump_add(struct dump_case *c, unsigned int k)
{
	const struct dump_shape *sh = &dump_shapes[k];
	struct scatterlist sg[3], *sgs[3];
	unsigned int i, n = 1 + sh->n_in;

	for (i = 0; i < n; i++) {
		c->mem[k][i] = kunit_kzalloc(c->test, sh->len[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(c->test, c->mem[k][i]);
		sg_init_one(&sg[i], c->mem[k][i], sh->len[i]);
		sgs[i] = &sg[i];
	}
	*(u64 *)c->mem[k][0] = k;	/* the model's tag */
	KUNIT_ASSERT_EQ(c->test, vra_add_sgs(c->m->vq, sgs, 1, sh->n_in,
					     c->mem[k][0], GFP_KERNEL), 0);
}

static const char *dump_names(u16 flags)
{
	switch (flags) {
	case 0:					return "-";
	case VRING_DESC_F_NEXT:			return "NEXT";
	case VRING_DESC_F_WRITE:		return "WRITE";
	case VRING_DESC_F_NEXT | VRING_DESC_F_WRITE:	return "NEXT|WRITE";
	case VRING_DESC_F_INDIRECT:		return "INDIRECT";
	default:				return "?";
	}
}

/* The packed AVAIL/USED bits a driver writes in lap @wrap (2.8.1). */
static u16 dump_avail_bits(bool wrap)
{
	return wrap ? BIT(VRING_PACKED_DESC_F_AVAIL) :
		      BIT(VRING_PACKED_DESC_F_USED);
}

static const char *dump_packed_names(u16 flags, bool wrap)
{
	static char buf[40];

	snprintf(buf, sizeof(buf), "%s%s%s", flags ? dump_names(flags) : "",
		 flags ? "|" : "", wrap ? "AVAIL" : "USED");
	return buf;
}

/* One descriptor of buffer @k, element @j, at ring position or table. */
static void dump_expect_desc(struct dump_case *c, const char *text,
			     const char *prefix, unsigned int k,
			     unsigned int j, unsigned int n, u16 next,
			     bool packed_wrap, bool in_table)
{
	struct kunit *test = c->test;
	const struct dump_shape *sh = &dump_shapes[k];
	u16 flags = j ? VRING_DESC_F_WRITE : 0;

	if (!c->p->packed && j + 1 < n)
		flags |= VRING_DESC_F_NEXT;
	if (c->p->packed && !in_table && j + 1 < n)
		flags |= VRING_DESC_F_NEXT;
	KUNIT_EXPECT_EQ_MSG(test, dump_field(test, text, prefix, "addr"),
			    (u64)virt_to_phys(c->mem[k][j]), "%s", prefix);
	KUNIT_EXPECT_EQ_MSG(test, dump_field(test, text, prefix, "len"),
			    sh->len[j], "%s", prefix);
	if (c->p->packed) {
		KUNIT_EXPECT_EQ_MSG(test, dump_field(test, text, prefix, "id"),
				    in_table ? 0 : c->where[k].id, "%s",
				    prefix);
		if (in_table)
			dump_expect_flags(test, text, prefix, flags,
					  dump_names(flags));
		else
			dump_expect_flags(test, text, prefix,
					  flags | dump_avail_bits(packed_wrap),
					  dump_packed_names(flags, packed_wrap));
	} else {
		dump_expect_flags(test, text, prefix, flags, dump_names(flags));
		if (j + 1 < n)
			KUNIT_EXPECT_EQ_MSG(test,
					    dump_field(test, text, prefix, "next"),
					    next, "%s", prefix);
	}
}

/*
 * Buffer @k is in flight: its descriptors are where they must be. Packed:
 * when @head_used, the device wrote its used descriptor over the head
 * (checked by the caller).
 */
static void dump_expect_buffer(struct dump_case *c, const char *text,
			       unsigned int k, const bool *wraps,
			       bool head_used)
{
	struct kunit *test = c->test;
	const struct dump_shape *sh = &dump_shapes[k];
	const struct dump_where *w = &c->where[k];
	unsigned int n = 1 + sh->n_in, j, in_len = 0;
	char prefix[40];

	for (j = 1; j < n; j++)
		in_len += sh->len[j];
	snprintf(prefix, sizeof(prefix), "inflight id %u ", w->id);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "in_len"), in_len);

	if (c->p->indirect && n > 1) {
		u16 flags = VRING_DESC_F_INDIRECT;

		KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "descs"), 1);
		KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "indirect"),
				n);
		snprintf(prefix, sizeof(prefix), "desc %u ", w->pos[0]);
		if (head_used) {
			/* the table stays the driver's; the slot is used */
		} else if (c->p->packed) {
			KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "len"),
					n * 16);
			KUNIT_EXPECT_NE(test, dump_field(test, text, prefix, "addr"),
					0);
			KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "id"),
					w->id);
			dump_expect_flags(test, text, prefix,
					  flags | dump_avail_bits(wraps[0]),
					  dump_packed_names(flags, wraps[0]));
		} else {
			KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "len"),
					n * 16);
			KUNIT_EXPECT_NE(test, dump_field(test, text, prefix, "addr"),
					0);
			dump_expect_flags(test, text, prefix, flags, "INDIRECT");
		}
		for (j = 0; j < n; j++) {
			snprintf(prefix, sizeof(prefix), "indirect %u %u ", w->id,
				 j);
			dump_expect_desc(c, text, prefix, k, j, n, j + 1, false,
					 true);
		}
		return;
	}
	KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "descs"), n);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, prefix, "indirect"), 0);
	for (j = head_used ? 1 : 0; j < n; j++) {
		snprintf(prefix, sizeof(prefix), "desc %u ", w->pos[j]);
		dump_expect_desc(c, text, prefix, k, j, n,
				 j + 1 < n ? w->pos[j + 1] : 0, wraps[j], false);
	}
}

static const char * const dump_event_modes[] = {
	[VRING_PACKED_EVENT_FLAG_ENABLE]	= "ENABLE",
	[VRING_PACKED_EVENT_FLAG_DISABLE]	= "DISABLE",
	[VRING_PACKED_EVENT_FLAG_DESC]		= "DESC",
};

static void dump_names_every_buffer_in_flight(struct kunit *test)
{
	const struct dump_param *p = test->param_value;
	struct vdm_script s = { .order = VDM_ORDER_IN, .len = VDM_LEN_ALL,
				.honour_suppression = true };
	u64 features = (p->packed ? BIT_ULL(VIRTIO_F_RING_PACKED) : 0) |
		       (p->indirect ? BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) : 0) |
		       (p->event_idx ? BIT_ULL(VIRTIO_RING_F_EVENT_IDX) : 0);
	bool wraps[DUMP_BUFS][3], wrap = true;
	struct dump_case c = { .test = test, .p = p };
	unsigned int k, j, len, slots = 0;
	const char *text;
	int prev = -1;
	char line[48];

	c.where = p->packed ? (p->indirect ? dump_packed_indirect :
					     dump_packed_chained) :
			      (p->indirect ? dump_split_indirect :
					     dump_split_chained);
	c.m = vdm_create(test, DUMP_NUM, features, &s, DUMP_BUFS);
	c.m->callback = NULL;

	for (k = 0; k < 4; k++)
		dump_add(&c, k);
	vra_kick(c.m->vq);
	KUNIT_ASSERT_EQ(test, vdm_take(c.m), 4);
	KUNIT_ASSERT_EQ(test, vdm_complete(c.m, 2), 2);
	KUNIT_ASSERT_PTR_EQ(test, vra_get_buf(c.m->vq, &len), c.mem[0][0]);
	dump_add(&c, 4);
	/* The model agrees on the ids of the buffers it holds: B2, B3. */
	KUNIT_ASSERT_EQ(test, vdm_pending(c.m), 2);
	KUNIT_EXPECT_EQ(test, c.m->pending[c.m->p_head].id, c.where[2].id);
	KUNIT_EXPECT_EQ(test, c.m->pending[(c.m->p_head + 1) % DUMP_NUM].id,
			c.where[3].id);

	/* Packed: the lap each descriptor was written in. */
	for (k = 0; k < DUMP_BUFS; k++) {
		unsigned int n = p->indirect && dump_shapes[k].n_in ? 1 :
				 1 + dump_shapes[k].n_in;

		for (j = 0; j < n; j++, slots++) {
			if ((int)c.where[k].pos[j] <= prev)
				wrap = !wrap;
			prev = c.where[k].pos[j];
			wraps[k][j] = wrap;
		}
	}

	text = dump_text(test, c.m->vq, DUMP_BUF_SIZE);

	KUNIT_EXPECT_NOT_NULL(test, dump_line(text, p->packed ?
					      "format packed\n" :
					      "format split\n"));
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "size ", "size"),
			DUMP_NUM);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "in_flight ", "in_flight"),
			4);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "num_free ", "num_free"),
			c.m->vq->num_free);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "indirect ", "indirect"),
			p->indirect);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "event_idx ", "event_idx"),
			p->event_idx);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "broken ", "broken"), 0);
	KUNIT_EXPECT_EQ(test, dump_count(text, "desc "), DUMP_NUM);
	/* B1 to B4 in flight, B0 not. */
	KUNIT_EXPECT_EQ(test, dump_count(text, "inflight id "), 4);
	for (k = 1; k < DUMP_BUFS; k++)
		dump_expect_buffer(&c, text, k, wraps[k], p->packed && k == 1);

	if (p->packed) {
		struct vring_packed_desc_event *ev[2] = {
			c.m->driver_event, c.m->device_event };
		const char *names[2] = { "driver_event ", "device_event " };
		u16 off_wrap;

		/* B0 and B1 used; the driver took B0 back only. */
		KUNIT_EXPECT_EQ(test, dump_field(test, text, "last_used_idx ",
						 "last_used_idx"), 1);
		KUNIT_EXPECT_EQ(test, dump_field(test, text,
						 "device_wrap_counter ",
						 "device_wrap_counter"), 1);
		KUNIT_EXPECT_EQ(test, dump_field(test, text, "next_avail_idx ",
						 "next_avail_idx"),
				slots % DUMP_NUM);
		KUNIT_EXPECT_EQ(test, dump_field(test, text,
						 "driver_wrap_counter ",
						 "driver_wrap_counter"),
				slots < DUMP_NUM);
		/* B1's used descriptor over its head: id, bytes written. */
		KUNIT_EXPECT_EQ(test, dump_field(test, text, "desc 1 ", "id"),
				1);
		KUNIT_EXPECT_EQ(test, dump_field(test, text, "desc 1 ", "len"),
				64);
		dump_expect_flags(test, text, "desc 1 ",
				  VRING_DESC_F_WRITE |
				  BIT(VRING_PACKED_DESC_F_AVAIL) |
				  BIT(VRING_PACKED_DESC_F_USED),
				  "WRITE|AVAIL|USED");
		for (k = 0; k < 2; k++) {
			u16 flags = le16_to_cpu(ev[k]->flags);

			KUNIT_ASSERT_LT(test, flags, ARRAY_SIZE(dump_event_modes));
			off_wrap = le16_to_cpu(ev[k]->off_wrap);
			dump_expect_flags(test, text, names[k], flags,
					  dump_event_modes[flags]);
			KUNIT_EXPECT_EQ(test,
					dump_field(test, text, names[k], "off"),
					off_wrap & 0x7fff);
			KUNIT_EXPECT_EQ(test,
					dump_field(test, text, names[k], "wrap"),
					off_wrap >> 15);
		}
		return;
	}

	/* Split: the avail ring names every head in order, B0's included. */
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "avail_ring ", "idx"),
			DUMP_BUFS);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "avail_ring ",
					 "used_event"),
			virtio16_to_cpu(c.m->vdev,
					c.m->avail->ring[DUMP_NUM]));
	for (k = 0; k < DUMP_BUFS; k++) {
		snprintf(line, sizeof(line), "avail %u ", k);
		KUNIT_EXPECT_EQ(test, dump_field(test, text, line, "head"),
				c.where[k].id);
	}
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "used_ring ", "idx"), 2);
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "used_ring ",
					 "avail_event"),
			virtio16_to_cpu(c.m->vdev,
					*(__virtio16 *)&c.m->used->ring[DUMP_NUM]));
	KUNIT_EXPECT_EQ(test, dump_field(test, text, "last_used_idx ",
					 "last_used_idx"), 1);
	KUNIT_EXPECT_NOT_NULL(test, dump_line(text, "used 0 id 0 len 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, dump_line(text, "used 1 id 1 len 64 new\n"));
	KUNIT_EXPECT_EQ(test, dump_count(text, "used "), DUMP_NUM);
	KUNIT_EXPECT_EQ(test, dump_count(text, "avail "), DUMP_NUM);
	KUNIT_EXPECT_EQ(test, c.m->c.violations, 0);
}

/* A 4096-entry ring: each section stops at VRA_DUMP_MAX_ENTRIES. */
static void dump_of_a_large_ring_is_bounded(struct kunit *test)
{
	struct vdm_script s = { .order = VDM_ORDER_IN, .len = VDM_LEN_ALL };
	bool packed = *(const bool *)test->param_value;
	struct vdm *m = vdm_create(test, 4096, packed ?
				   BIT_ULL(VIRTIO_F_RING_PACKED) : 0, &s, 8);
	size_t size = vra_dump_size(m->vq);
	const char *text = dump_text(test, m->vq, size);
	char more[32];

	snprintf(more, sizeof(more), "desc ... %u more\n",
		 4096 - VRA_DUMP_MAX_ENTRIES);
	KUNIT_EXPECT_EQ(test, dump_count(text, "desc "),
			VRA_DUMP_MAX_ENTRIES + 1);
	KUNIT_EXPECT_NOT_NULL(test, dump_line(text, more));
	if (!packed) {
		KUNIT_EXPECT_EQ(test, dump_count(text, "avail "),
				VRA_DUMP_MAX_ENTRIES + 1);
		KUNIT_EXPECT_EQ(test, dump_count(text, "used "),
				VRA_DUMP_MAX_ENTRIES + 1);
	}
	/* vra_dump_size()'s guess was enough: no seq_file retry. */
	KUNIT_EXPECT_LT(test, strlen(text), size);
}

static const bool dump_layouts[] = { false, true };

static void dump_layout_desc(const bool *packed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, *packed ? "packed" : "split");
}

KUNIT_ARRAY_PARAM(dump_layout, dump_layouts, dump_layout_desc);

/* vra_reset_stats(): vra_read_stats() from zero, vra_get_stats() goes on. */
static void reset_stats_counts_from_zero(struct kunit *test)
{
	struct vdm_script s = { .order = VDM_ORDER_IN, .len = VDM_LEN_ALL };
	bool packed = *(const bool *)test->param_value;
	struct vdm *m = vdm_create(test, 8, packed ?
				   BIT_ULL(VIRTIO_F_RING_PACKED) : 0, &s, 8);
	struct scatterlist sg, *sgs[1] = { &sg };
	u64 *buf = kunit_kzalloc(test, 16, GFP_KERNEL);
	struct vra_stats st;
	unsigned int i, len;

	KUNIT_ASSERT_NOT_NULL(test, buf);

	sg_init_one(&sg, buf, 16);
	m->callback = NULL;
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, vra_add_sgs(m->vq, sgs, 1, 0, buf,
						  GFP_KERNEL), 0);
		vra_kick(m->vq);
		vdm_run(m);
		KUNIT_ASSERT_PTR_EQ(test, vra_get_buf(m->vq, &len), (void *)buf);
	}
	vra_read_stats(m->vq, &st);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_bufs_added], 3);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_kicks], 3);

	vra_reset_stats(m->vq);
	vra_read_stats(m->vq, &st);
	for (i = 0; i < VRA_STAT_NR; i++)
		KUNIT_EXPECT_EQ_MSG(test, st.v[i], 0, "%s", vra_stat_names[i]);
	for (i = 0; i < VRA_BROKEN_NR; i++)
		KUNIT_EXPECT_EQ_MSG(test, st.broken[i], 0, "broken_%s",
				    vra_broken_names[i]);
	/* The counters themselves, which the tracepoints follow, go on. */
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_added), 3);

	KUNIT_ASSERT_EQ(test, vra_add_sgs(m->vq, sgs, 1, 0, buf, GFP_KERNEL),
			0);
	vra_kick(m->vq);
	vdm_run(m);
	KUNIT_ASSERT_PTR_EQ(test, vra_get_buf(m->vq, &len), (void *)buf);
	vra_read_stats(m->vq, &st);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_bufs_added], 1);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_descs_added], 1);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_bufs_used], 1);
	KUNIT_EXPECT_EQ(test, st.v[VRA_STAT_kicks], 1);
	KUNIT_EXPECT_EQ(test, vdm_stat(m, VRA_STAT_bufs_added), 4);
}

static struct kunit_case va_dump_cases[] = {
	KUNIT_CASE_PARAM(dump_names_every_buffer_in_flight, dump_gen_params),
	KUNIT_CASE_PARAM(dump_of_a_large_ring_is_bounded,
			 dump_layout_gen_params),
	KUNIT_CASE_PARAM(reset_stats_counts_from_zero, dump_layout_gen_params),
	{}
};

static struct kunit_suite va_dump_suite = {
	.name = "virtio_alt_dump",
	.test_cases = va_dump_cases,
};

kunit_test_suites(&va_dump_suite);
