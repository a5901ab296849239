// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt bench: this project's ring against the in-tree ring of 6.12,
 * both built from source against tools/virtio, driven by one device model
 * (device.c) with the same buffers.
 *
 * Modes:
 *  pingpong  one thread: add a batch, kick, the device runs if it was
 *            kicked, interrupts if the driver asked, the driver harvests in
 *            its callback's wake. Deterministic: the mode callgrind runs.
 *  threads   driver on CPU 0, device on CPU 1, both spinning on doorbells
 *            (a kick and an interrupt are counter increments the other side
 *            waits for), in the structure of tools/virtio/ringtest's
 *            run_guest() with --sleep. Repetitions interleave the rings.
 *            The clock runs from the first quarter of the buffers on: the
 *            first milliseconds of a run (first touches of fresh memory, a
 *            new thread) cost several times the steady state, and as much
 *            as the run in short ones.
 *  lockstep  one thread, the driver of threads mode with the device run
 *            between its operations: awake, it uses a buffer at PCT% of
 *            its steps (--lockstep PCT; which steps, a fixed pseudo-random
 *            sequence, the same for every ring), then enables kicks and
 *            sleeps until kicked. The
 *            race of threads mode at a fixed speed ratio: deterministic
 *            kick and interrupt counts that differ between rings only by
 *            their notification decisions, not by how fast either side's
 *            code or cache lines are.
 *
 * Every buffer must come back once, in order (the device uses them in
 * order), with its token and its device-writable byte count as length;
 * any ring or device error, a failed add or a stall fails the run.
 *
 * Output: one CSV line per ring variant (see bench_header()).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/device.h>

#include "device.h"
#include "ring.h"

#define BENCH_MAX_SG	4
#define BENCH_SG_BYTES	64
#define BENCH_MAX_REPS	15
#define BENCH_STALL_NS	(5ULL * 1000 * 1000 * 1000)

/* One buffer: its scatterlist and what the device must report. */
struct bbuf {
	struct scatterlist sg[BENCH_MAX_SG];
	struct scatterlist *sgs[BENCH_MAX_SG];
	unsigned int out_sgs;
	unsigned int in_sgs;
	u32 in_len;
	u64 seq;
};

/* A ring variant under test. */
struct bvariant {
	const char *name;
	const struct bring_ops *ops;
	bool in_order;
};

static const struct bvariant bench_variants[] = {
	{ "intree",	 &bring_intree, false },
	{ "alt",	 &bring_alt,	false },
	{ "alt-inorder", &bring_alt,	true },
};

/* Parameters of one cell of the matrix. */
static struct {
	bool threads;
	unsigned int pct;	/* lockstep: % of device steps using a buffer */
	struct bring_cfg cfg;
	unsigned int sg;
	unsigned int batch;
	u64 bufs;
	unsigned int reps;
	unsigned int nvariants;
	const struct bvariant *variants[ARRAY_SIZE(bench_variants)];
	bool header;
} opt = {
	.cfg = { .num = 256 },
	.sg = 1,
	.batch = 32,
	.bufs = 100000,
	.reps = 5,
};

/*
 * One run of one ring variant. What one thread writes while the other runs
 * has cache lines of its own: the device's state, each doorbell, the
 * driver's counters (sharing one costs a cross-CPU transfer per buffer).
 */
struct brun {
	/* driver side, read-only while running */
	const struct bring_ops *ops;
	struct virtio_device vdev;
	struct virtqueue *vq;
	struct bbuf *buf;
	unsigned int slots;	/* buffers that fit without filling the ring */
	/* device side */
	struct bdev dev __aligned(64);
	/* doorbells: written by one side, spun on by the other */
	u64 kicks __aligned(64);
	u64 irqs __aligned(64);
	bool stop __aligned(64);
	/* driver side */
	/* started and completed modulo slots, stepped without a division */
	unsigned int add_slot __aligned(64);
	unsigned int done_slot;
	u64 kicks_seen_dev;
	u32 dev_rand;		/* lockstep: which steps use a buffer */
	bool dev_asleep;	/* lockstep: until a kick */
	u64 irqs_taken;
	u64 started;
	u64 completed;
	u64 timed;		/* buffers the clock ran for */
	bool cb;
	const char *err;
	u64 ns;
};

static struct brun *bench_current;

static u64 bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void bench_fail(struct brun *r, const char *why)
{
	if (!r->err)
		r->err = why;
}

/* The transport's notify: ring the device's doorbell. */
static bool bench_notify(struct virtqueue *vq)
{
	__atomic_add_fetch(&bench_current->kicks, 1, __ATOMIC_RELEASE);
	return true;
}

/* The queue's callback: as a NAPI driver, stop callbacks and poll later. */
static void bench_callback(struct virtqueue *vq)
{
	bench_current->ops->disable_cb(vq);
	bench_current->cb = true;
}

static void bench_buf_init(struct bbuf *b, unsigned int sg, u64 seq)
{
	static u8 payload[BENCH_MAX_SG][BENCH_SG_BYTES];
	unsigned int i, out = sg == 1 ? !(seq & 1) : sg / 2;

	sg_init_table(b->sg, sg);
	for (i = 0; i < sg; i++)
		sg_set_buf(&b->sg[i], payload[i], BENCH_SG_BYTES);
	b->out_sgs = 0;
	b->in_sgs = 0;
	b->in_len = (sg - out) * BENCH_SG_BYTES;
	/* One scatterlist per direction, each ended. */
	if (out) {
		sg_mark_end(&b->sg[out - 1]);
		b->sgs[b->out_sgs++] = &b->sg[0];
	}
	if (sg - out)
		b->sgs[b->out_sgs + b->in_sgs++] = &b->sg[out];
}

static int bench_setup(struct brun *r, const struct bvariant *v)
{
	struct bring_cfg cfg = opt.cfg;
	struct bdev_cfg dcfg;
	unsigned int descs, i;

	memset(r, 0, sizeof(*r));
	r->ops = v->ops;
	cfg.in_order = v->in_order;
	r->vdev.features = 1ULL << VIRTIO_F_VERSION_1;
	if (cfg.packed)
		r->vdev.features |= 1ULL << VIRTIO_F_RING_PACKED;
	if (cfg.event_idx)
		r->vdev.features |= 1ULL << VIRTIO_RING_F_EVENT_IDX;
	if (cfg.indirect)
		r->vdev.features |= 1ULL << VIRTIO_RING_F_INDIRECT_DESC;
	if (cfg.in_order)
		r->vdev.features |= 1ULL << VIRTIO_F_IN_ORDER;
	INIT_LIST_HEAD(&r->vdev.vqs);
	spin_lock_init(&r->vdev.vqs_list_lock);
	bench_current = r;
	r->vq = r->ops->create(&r->vdev, cfg.num, bench_notify, bench_callback);
	if (IS_ERR_OR_NULL(r->vq)) {
		fprintf(stderr, "bench: %s: cannot create a queue of %u\n",
			v->name, cfg.num);
		return -1;
	}
	/*
	 * Never more descriptors in flight than the ring has: a full in-tree
	 * split ring notifies on every failed add.
	 */
	descs = cfg.indirect && opt.sg > 1 ? 1 : opt.sg;
	r->slots = cfg.num / descs;
	if (opt.batch > r->slots) {
		fprintf(stderr, "bench: batch %u > %u buffers in the ring\n",
			opt.batch, r->slots);
		return -1;
	}
	r->buf = calloc(r->slots, sizeof(*r->buf));
	if (!r->buf)
		return -1;
	/* slots is even: a slot's parity is its buffers' (sg 1: out, in). */
	for (i = 0; i < r->slots; i++)
		bench_buf_init(&r->buf[i], opt.sg, i);
	dcfg = (struct bdev_cfg) {
		.packed = cfg.packed, .event_idx = cfg.event_idx,
		.in_order = cfg.in_order, .num = cfg.num,
		.desc = r->ops->desc_addr(r->vq),
		.avail = r->ops->avail_addr(r->vq),
		.used = r->ops->used_addr(r->vq),
	};
	bdev_init(&r->dev, &dcfg);
	if (r->dev.err) {
		fprintf(stderr, "bench: %s: FAIL: %s\n", v->name, r->dev.err);
		r->ops->del(r->vq);
		free(r->buf);
		return -1;
	}
	return 0;
}

static void bench_teardown(struct brun *r)
{
	r->ops->del(r->vq);
	free(r->buf);
}

/*
 * Make the next buffer available; it must fit. The harness's helpers are
 * inline: with tools/virtio's -mfunction-return=thunk every return costs a
 * mispredicted thunk (two of them added about 19 ns per buffer to both
 * rings), and the calls measured should be the ring's own.
 */
static __always_inline void bench_add(struct brun *r)
{
	struct bbuf *b = &r->buf[r->add_slot];
	int err;

	b->seq = r->started;
	err = r->ops->add_sgs(r->vq, b->sgs, b->out_sgs, b->in_sgs, b, 0);
	if (err)
		bench_fail(r, "add failed with the ring not full");
	r->started++;
	if (++r->add_slot == r->slots)
		r->add_slot = 0;
}

static __always_inline void bench_kick(struct brun *r)
{
	if (r->ops->kick_prepare(r->vq))
		r->ops->notify(r->vq);
}

/* Take every used buffer; check each. Returns how many. */
static __always_inline unsigned int bench_harvest(struct brun *r)
{
	struct bbuf *b;
	unsigned int len, n = 0;

	while ((b = r->ops->get_buf(r->vq, &len))) {
		if (b != &r->buf[r->done_slot] ||
		    b->seq != r->completed)
			bench_fail(r, "buffer returned out of order or twice");
		else if (len != b->in_len)
			bench_fail(r, "used length is not the device-writable bytes");
		r->completed++;
		if (++r->done_slot == r->slots)
			r->done_slot = 0;
		n++;
	}
	return n;
}

/* Device, ping-pong: runs only when kicked, as a sleeping device would. */
static void bench_pp_device(struct brun *r)
{
	if (r->kicks == r->kicks_seen_dev)
		return;
	r->kicks_seen_dev = r->kicks;
	bdev_disable_kick(&r->dev);
	for (;;) {
		bdev_process(&r->dev, ~0U);
		bdev_enable_kick(&r->dev);
		if (!bdev_avail_pending(&r->dev))
			break;
		bdev_disable_kick(&r->dev);
	}
	if (bdev_need_irq(&r->dev))
		r->irqs++;
}

static void bench_pingpong(struct brun *r)
{
	u64 t0 = bench_now();
	unsigned int i, n;

	while (r->completed < opt.bufs && !r->err) {
		n = opt.batch;
		if (n > opt.bufs - r->started)
			n = opt.bufs - r->started;
		if (n > r->slots - (r->started - r->completed))
			n = r->slots - (r->started - r->completed);
		for (i = 0; i < n; i++)
			bench_add(r);
		bench_kick(r);
		bench_pp_device(r);
		if (r->irqs != r->irqs_taken) {
			r->irqs_taken = r->irqs;
			r->ops->interrupt(0, r->vq);
		}
		if (!r->cb) {
			/* Nothing will wake the driver: suppression broke. */
			if (r->started - r->completed == r->slots ||
			    r->started == opt.bufs)
				bench_fail(r, "stalled: buffers in flight, no interrupt");
			continue;
		}
		r->cb = false;
		do
			bench_harvest(r);
		while (!r->ops->enable_cb(r->vq));
	}
	r->ns = bench_now() - t0;
	r->timed = opt.bufs;
}

/*
 * Device, lockstep: one step. Asleep, only a kick wakes it; awake, it uses
 * a buffer at opt.pct percent of its steps (a linear congruential sequence
 * from a fixed seed: speed that varies, the same way for every ring), and once
 * nothing is available enables kicks, looks once more and sleeps, as the
 * device thread does.
 */
static void bench_ls_step(struct brun *r)
{
	if (r->dev_asleep) {
		if (r->kicks == r->kicks_seen_dev)
			return;
		r->kicks_seen_dev = r->kicks;
		r->dev_asleep = false;
		bdev_disable_kick(&r->dev);
	}
	r->dev_rand = r->dev_rand * 1103515245 + 12345;
	if ((r->dev_rand >> 16) % 100 >= opt.pct)
		return;
	if (bdev_process(&r->dev, 1)) {
		if (bdev_need_irq(&r->dev))
			r->irqs++;
		return;
	}
	if (r->dev.err)
		return;
	bdev_enable_kick(&r->dev);
	if (bdev_avail_pending(&r->dev))
		bdev_disable_kick(&r->dev);
	else
		r->dev_asleep = true;
}

static void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "bench: cannot pin to CPU %d\n", cpu);
}

/* Device thread: use everything available, then sleep until kicked. */
static void *bench_device_thread(void *arg)
{
	struct brun *r = arg;
	u64 seen = 0;

	bench_pin(1);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		bdev_disable_kick(&r->dev);
		for (;;) {
			if (bdev_process(&r->dev, ~0U)) {
				if (bdev_need_irq(&r->dev))
					__atomic_add_fetch(&r->irqs, 1,
							   __ATOMIC_RELEASE);
				continue;
			}
			if (r->dev.err)
				return NULL;
			seen = __atomic_load_n(&r->kicks, __ATOMIC_ACQUIRE);
			bdev_enable_kick(&r->dev);
			if (!bdev_avail_pending(&r->dev))
				break;
			bdev_disable_kick(&r->dev);
		}
		while (__atomic_load_n(&r->kicks, __ATOMIC_ACQUIRE) == seen &&
		       !__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
			__builtin_ia32_pause();
	}
	return NULL;
}

/* Driver side of a device-raised interrupt, if one is pending. */
static void bench_take_irq(struct brun *r)
{
	u64 irqs = __atomic_load_n(&r->irqs, __ATOMIC_ACQUIRE);

	if (irqs != r->irqs_taken) {
		r->irqs_taken = irqs;
		r->ops->interrupt(0, r->vq);
	}
}

/*
 * One pass of the driver of threads and lockstep mode: add a buffer if
 * there is room, kicking every batch, then harvest. In lockstep mode the
 * device takes a step after each. Returns whether anything moved.
 */
static __always_inline bool bench_drive(struct brun *r, unsigned int *unkicked,
					bool lockstep)
{
	bool progress = false;

	if (r->started < opt.bufs && r->started - r->completed < r->slots) {
		bench_add(r);
		progress = true;
		if (++*unkicked == opt.batch) {
			bench_kick(r);
			*unkicked = 0;
		}
		if (lockstep)
			bench_ls_step(r);
	}
	if (bench_harvest(r))
		progress = true;
	if (lockstep)
		bench_ls_step(r);
	return progress;
}

/*
 * Driver thread, as ringtest's run_guest() with --sleep: add while there
 * is room, kick every batch (and before sleeping), harvest, sleep until an
 * interrupt once nothing is left to do.
 */
static void bench_threads(struct brun *r)
{
	unsigned int unkicked = 0;
	u64 t0, t1 = 0, c1 = 0, seen, spin_t0;
	pthread_t dev;
	bool progress;

	bench_pin(0);
	if (pthread_create(&dev, NULL, bench_device_thread, r)) {
		bench_fail(r, "cannot start the device thread");
		return;
	}
	t0 = bench_now();
	while (r->completed < opt.bufs && !r->err) {
		bench_take_irq(r);
		r->ops->disable_cb(r->vq);
		do {
			progress = bench_drive(r, &unkicked, false);
			/* The clock starts after a quarter. */
			if (!t1 && r->completed >= opt.bufs / 4) {
				t1 = bench_now();
				c1 = r->completed;
			}
		} while (progress && !r->err);
		if (unkicked) {
			bench_kick(r);
			unkicked = 0;
		}
		if (r->completed == opt.bufs)
			break;
		seen = __atomic_load_n(&r->irqs, __ATOMIC_ACQUIRE);
		if (!r->ops->enable_cb(r->vq))
			continue;
		spin_t0 = 0;
		while (__atomic_load_n(&r->irqs, __ATOMIC_ACQUIRE) == seen &&
		       !READ_ONCE(r->dev.err)) {
			__builtin_ia32_pause();
			if (!(++spin_t0 & 0xfffff) &&
			    bench_now() - t0 > BENCH_STALL_NS * 4) {
				bench_fail(r, "stalled: waiting for an interrupt");
				break;
			}
		}
	}
	if (!t1 || c1 == r->completed) {
		t1 = t0;
		c1 = 0;
	}
	r->ns = bench_now() - t1;
	r->timed = r->completed - c1;
	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	pthread_join(dev, NULL);
}

/* The driver of bench_threads(), with the device stepped in between. */
static void bench_lockstep(struct brun *r)
{
	unsigned int unkicked = 0;
	u64 t0 = bench_now(), seen;

	r->dev_asleep = true;
	bdev_enable_kick(&r->dev);
	while (r->completed < opt.bufs && !r->err && !r->dev.err) {
		bench_take_irq(r);
		r->ops->disable_cb(r->vq);
		while (bench_drive(r, &unkicked, true) && !r->err && !r->dev.err)
			;
		if (unkicked) {
			bench_kick(r);
			unkicked = 0;
		}
		if (r->completed == opt.bufs)
			break;
		seen = r->irqs;
		if (!r->ops->enable_cb(r->vq))
			continue;
		/* Asleep until an interrupt; the device runs on. */
		while (r->irqs == seen && !r->dev.err) {
			if (r->dev_asleep && r->kicks == r->kicks_seen_dev) {
				bench_fail(r, "stalled: device asleep, no interrupt");
				break;
			}
			bench_ls_step(r);
		}
	}
	r->ns = bench_now() - t0;
	r->timed = opt.bufs;
}

static int bench_one(const struct bvariant *v, struct brun *r)
{
	if (bench_setup(r, v))
		return -1;
	if (opt.threads)
		bench_threads(r);
	else if (opt.pct)
		bench_lockstep(r);
	else
		bench_pingpong(r);
	if (r->dev.err)
		bench_fail(r, r->dev.err);
	if (r->ops->is_broken(r->vq))
		bench_fail(r, "ring broken");
	if (bench_dev_errors)
		bench_fail(r, "ring logged an error");
	if (!r->err && (r->completed != opt.bufs || r->dev.bufs != opt.bufs))
		bench_fail(r, "not every buffer came back");
	bench_teardown(r);
	if (r->err) {
		fprintf(stderr, "bench: %s: FAIL: %s\n", v->name, r->err);
		return -1;
	}
	return 0;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 bench_median(u64 *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The CSV columns, in bench_report()'s order. */
static const char * const bench_columns[] = {
	"mode", "ring", "layout", "event", "in_order", "indirect", "sg",
	"batch", "size", "bufs", "reps", "ns_per_buf", "ns_min", "ns_max",
	"kicks_per_1000", "irqs_per_1000",
};

static void bench_header(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bench_columns); i++)
		printf("%s%c", bench_columns[i],
		       i + 1 < ARRAY_SIZE(bench_columns) ? ',' : '\n');
}

/* @ps: picoseconds per buffer, one per repetition. */
static void bench_report(const struct bvariant *v, u64 *ps, u64 *kicks,
			 u64 *irqs)
{
	double per = 1000.0 / opt.bufs;
	unsigned int n = opt.reps;

	qsort(ps, n, sizeof(*ps), bench_cmp_u64);
	printf("%s,%s,%s,%s,%d,%d,%u,%u,%u,%llu,%u,%.2f,%.2f,%.2f,%.3f,%.3f\n",
	       opt.threads ? "threads" : opt.pct ? "lockstep" : "pingpong",
	       v->name,
	       opt.cfg.packed ? "packed" : "split",
	       opt.cfg.event_idx ? "idx" : "flags", v->in_order,
	       opt.cfg.indirect, opt.sg, opt.batch, opt.cfg.num,
	       (unsigned long long)opt.bufs, n,
	       bench_median(ps, n) / 1000.0, ps[0] / 1000.0,
	       ps[n - 1] / 1000.0,
	       bench_median(kicks, n) * per, bench_median(irqs, n) * per);
}

static void bench_usage(void)
{
	fprintf(stderr,
		"usage: bench [--threads | --lockstep PCT] [--packed] [--event-idx]\n"
		"             [--indirect]\n"
		"             [--sg 1|2|4] [--batch B] [--size N] [--bufs N]\n"
		"             [--reps R] [--rings intree,alt,alt-inorder] [--header]\n");
	exit(2);
}

static void bench_parse_rings(char *s)
{
	char *name;
	unsigned int i;

	opt.nvariants = 0;
	while ((name = strsep(&s, ","))) {
		for (i = 0; i < ARRAY_SIZE(bench_variants); i++)
			if (!strcmp(name, bench_variants[i].name))
				break;
		if (i == ARRAY_SIZE(bench_variants) ||
		    opt.nvariants == ARRAY_SIZE(opt.variants)) {
			fprintf(stderr, "bench: unknown ring '%s'\n", name);
			exit(2);
		}
		opt.variants[opt.nvariants++] = &bench_variants[i];
	}
}

static void bench_parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "threads",	no_argument,	   NULL, 't' },
		{ "lockstep",	required_argument, NULL, 'l' },
		{ "packed",	no_argument,	   NULL, 'p' },
		{ "event-idx",	no_argument,	   NULL, 'e' },
		{ "indirect",	no_argument,	   NULL, 'i' },
		{ "sg",		required_argument, NULL, 'g' },
		{ "batch",	required_argument, NULL, 'b' },
		{ "size",	required_argument, NULL, 'n' },
		{ "bufs",	required_argument, NULL, 'B' },
		{ "reps",	required_argument, NULL, 'r' },
		{ "rings",	required_argument, NULL, 'R' },
		{ "header",	no_argument,	   NULL, 'h' },
		{ }
	};
	char rings[] = "intree,alt";
	int c;

	bench_parse_rings(rings);
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			opt.threads = true;
			break;
		case 'l':
			opt.pct = strtoul(optarg, NULL, 0);
			if (!opt.pct || opt.pct > 100)
				bench_usage();
			break;
		case 'p':
			opt.cfg.packed = true;
			break;
		case 'e':
			opt.cfg.event_idx = true;
			break;
		case 'i':
			opt.cfg.indirect = true;
			break;
		case 'g':
			opt.sg = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			opt.batch = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			opt.cfg.num = strtoul(optarg, NULL, 0);
			break;
		case 'B':
			opt.bufs = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			opt.reps = strtoul(optarg, NULL, 0);
			break;
		case 'R':
			bench_parse_rings(optarg);
			break;
		case 'h':
			opt.header = true;
			break;
		default:
			bench_usage();
		}
	}
	if (optind != argc || (opt.threads && opt.pct) || !opt.sg ||
	    opt.sg > BENCH_MAX_SG || !opt.batch ||
	    !opt.bufs || !opt.reps || opt.reps > BENCH_MAX_REPS ||
	    !opt.cfg.num || (opt.cfg.num & (opt.cfg.num - 1)))
		bench_usage();
}

int main(int argc, char **argv)
{
	u64 ps[ARRAY_SIZE(bench_variants)][BENCH_MAX_REPS];
	u64 kicks[ARRAY_SIZE(bench_variants)][BENCH_MAX_REPS];
	u64 irqs[ARRAY_SIZE(bench_variants)][BENCH_MAX_REPS];
	struct brun *r;
	unsigned int rep, i;

	bench_parse(argc, argv);
	r = aligned_alloc(64, ALIGN(sizeof(*r), 64));
	if (!r)
		return 1;
	if (opt.header)
		bench_header();
	/* Interleaved: every ring once per repetition. */
	for (rep = 0; rep < opt.reps; rep++) {
		for (i = 0; i < opt.nvariants; i++) {
			if (bench_one(opt.variants[i], r))
				return 1;
			/* picoseconds per buffer */
			ps[i][rep] = r->ns * 1000 / r->timed;
			kicks[i][rep] = r->kicks;
			irqs[i][rep] = r->irqs;
		}
	}
	for (i = 0; i < opt.nvariants; i++)
		bench_report(opt.variants[i], ps[i], kicks[i], irqs[i]);
	free(r);
	return 0;
}
