// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite virtio_alt_features_ok: feature negotiation through the
 * virtio core's probe on both transports (virtio 1.3, 3.1.1 steps 4 to 6).
 *
 * A device of each transport is registered on the virtio bus with a test
 * driver bound to a device id nothing else matches: virtio-mmio version 2
 * on a register window in software (va_mmio_fake_create()), modern
 * virtio-pci with its common configuration structure in memory
 * (va_pci_fake_create()). The device model takes the driver's status
 * writes and, when told to refuse, clears FEATURES_OK again, as a device
 * that does not support the accepted subset does (3.1.1 step 6).
 *
 * Refused: the probe fails, the driver's probe never runs and nothing is
 * bound; the device is left FAILED without FEATURES_OK or DRIVER_OK, with
 * no queue on either list; the transport's dev_err went out exactly once
 * (its features_refused count, which the message goes with); unregistering
 * runs no remove. Accepted, the control: the same device probes, is bound,
 * DRIVER_OK, nothing counted, and the driver's remove runs on unregister.
 *
 * DEVICE_NEEDS_RESET (2.1.2): a bound device that sets it and sends a
 * configuration change notification is noted by the transport (one
 * message, vtr_device.needs_reset) before the driver hears of the change;
 * a reset clears the note.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <uapi/linux/virtio_mmio.h>

#include "../transport.h"
#include "../transport_mmio.h"
#include "../transport_pci.h"

/* A virtio device id no driver of any kernel matches (5. lists them). */
#define FOK_DEVICE_ID	0xfffe
/* What the devices offer: device-specific bit 0 and VIRTIO_F_VERSION_1. */
#define FOK_FEATURES	(BIT_ULL(0) | BIT_ULL(VIRTIO_F_VERSION_1))

/* ---- the test driver ---- */

static unsigned int fok_probes, fok_removes, fok_config_changes;

static int fok_probe(struct virtio_device *vdev)
{
	fok_probes++;
	return 0;
}

static void fok_remove(struct virtio_device *vdev)
{
	fok_removes++;
	virtio_reset_device(vdev);
}

static void fok_config_changed(struct virtio_device *vdev)
{
	fok_config_changes++;
}

static const struct virtio_device_id fok_ids[] = {
	{ FOK_DEVICE_ID, VIRTIO_DEV_ANY_ID },
	{ }
};

static unsigned int fok_feature_table[] = { 0 };

static struct virtio_driver fok_driver = {
	.driver.name = "virtio_alt_kunit_features_ok",
	.id_table = fok_ids,
	.feature_table = fok_feature_table,
	.feature_table_size = ARRAY_SIZE(fok_feature_table),
	.probe = fok_probe,
	.remove = fok_remove,
	.config_changed = fok_config_changed,
};

/* ---- the devices ---- */

/* What both device models share. */
struct fok_dev {
	bool refuse;			/* clear FEATURES_OK when set */
	unsigned int features_ok_writes;
	struct virtio_device *vdev;
	u8 (*status)(struct fok_dev *d);	/* the device's status */
	void (*set)(struct fok_dev *d, u8 bits);	/* the device sets bits */
};

/* virtio-mmio version 2, 4.2.2: the registers the probe touches. */
struct fok_mmio {
	struct fok_dev d;
	struct va_mmio_regs regs;
	u32 status, dev_sel, drv_sel;
	u64 drv_features;
};

static u32 fok_mmio_read(struct va_mmio_regs *regs, unsigned int off)
{
	struct fok_mmio *m = container_of(regs, struct fok_mmio, regs);

	switch (off) {
	case VIRTIO_MMIO_STATUS:
		return m->status;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return m->dev_sel < 2 ? (u32)(FOK_FEATURES >> (32 * m->dev_sel)) : 0;
	}
	return 0;
}

static void fok_mmio_write(struct va_mmio_regs *regs, unsigned int off,
			   u32 val)
{
	struct fok_mmio *m = container_of(regs, struct fok_mmio, regs);

	switch (off) {
	case VIRTIO_MMIO_STATUS:
		if (val & VIRTIO_CONFIG_S_FEATURES_OK) {
			m->d.features_ok_writes += !(m->status &
						     VIRTIO_CONFIG_S_FEATURES_OK);
			if (m->d.refuse)
				val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		}
		m->status = val;
		break;
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		m->dev_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		m->drv_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (m->drv_sel < 2) {
			m->drv_features &= ~(0xffffffffULL << (32 * m->drv_sel));
			m->drv_features |= (u64)val << (32 * m->drv_sel);
		}
		break;
	}
}

static u8 fok_mmio_status(struct fok_dev *d)
{
	return container_of(d, struct fok_mmio, d)->status;
}

static void fok_mmio_set(struct fok_dev *d, u8 bits)
{
	container_of(d, struct fok_mmio, d)->status |= bits;
}

static void fok_mmio_release(struct device *dev)
{
	va_mmio_fake_destroy(dev_to_virtio(dev));
}

static struct fok_dev *fok_mmio_create(struct kunit *test)
{
	struct fok_mmio *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->regs.read = fok_mmio_read;
	m->regs.write = fok_mmio_write;
	m->d.status = fok_mmio_status;
	m->d.set = fok_mmio_set;
	m->d.vdev = va_mmio_fake_create(&m->regs, 2, 0);
	KUNIT_ASSERT_NOT_NULL(test, m->d.vdev);
	/* Named virtioN by register_virtio_device(), not by init_name. */
	m->d.vdev->dev.init_name = NULL;
	m->d.vdev->dev.release = fok_mmio_release;
	m->d.vdev->id.device = FOK_DEVICE_ID;
	m->d.vdev->id.vendor = 0x554d4551;	/* "QEMU", as QEMU's */
	return &m->d;
}

/*
 * Modern virtio-pci, 4.1.4.3: the common configuration structure in
 * memory. Memory has no select registers: both halves of device_feature
 * read the same word, so 0x1 offers bit 0 and bit 32 (VIRTIO_F_VERSION_1),
 * FOK_FEATURES.
 */
struct fok_pci {
	struct fok_dev d;
	struct virtio_pci_common_cfg cfg;
	u8 status;			/* what device_status held before */
};

static void fok_pci_status_written(void *priv, u8 status)
{
	struct fok_pci *p = priv;

	if (status & VIRTIO_CONFIG_S_FEATURES_OK) {
		p->d.features_ok_writes += !(p->status &
					     VIRTIO_CONFIG_S_FEATURES_OK);
		if (p->d.refuse)
			p->cfg.device_status = status &
					       ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	p->status = p->cfg.device_status;
}

static u8 fok_pci_status(struct fok_dev *d)
{
	return container_of(d, struct fok_pci, d)->cfg.device_status;
}

static void fok_pci_set(struct fok_dev *d, u8 bits)
{
	container_of(d, struct fok_pci, d)->cfg.device_status |= bits;
}

static struct fok_dev *fok_pci_create(struct kunit *test)
{
	struct fok_pci *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	BUILD_BUG_ON(FOK_FEATURES != (BIT_ULL(0) | BIT_ULL(32)));
	p->cfg.device_feature = cpu_to_le32(1);
	p->d.status = fok_pci_status;
	p->d.set = fok_pci_set;
	p->d.vdev = va_pci_fake_create(&p->cfg, sizeof(p->cfg), FOK_DEVICE_ID,
				       fok_pci_status_written, p);
	KUNIT_ASSERT_NOT_NULL(test, p->d.vdev);
	return &p->d;
}

struct fok_transport {
	const char *name;
	struct fok_dev *(*create)(struct kunit *test);
};

static const struct fok_transport fok_transports[] = {
	{ "mmio", fok_mmio_create },
	{ "pci", fok_pci_create },
};

static void fok_transport_desc(const struct fok_transport *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fok_transport, fok_transports, fok_transport_desc);

static void fok_unregister(void *vdev)
{
	unregister_virtio_device(vdev);
}

/*
 * Make the device of the case's transport and register it: the probe runs,
 * and the driver sets FEATURES_OK once whatever the device answers.
 */
static struct fok_dev *fok_register(struct kunit *test, bool refuse)
{
	const struct fok_transport *t = test->param_value;
	struct fok_dev *d = t->create(test);
	int err;

	d->refuse = refuse;
	err = register_virtio_device(d->vdev);
	if (err)
		/* Initialized all the same: release frees it. */
		put_device(&d->vdev->dev);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "register_virtio_device");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fok_unregister,
							d->vdev), 0);
	KUNIT_EXPECT_EQ(test, d->features_ok_writes, 1);
	return d;
}

/*
 * 3.1.1 step 6: the device clears FEATURES_OK. The probe fails (the core's
 * virtio_features_ok()), the driver never sees the device, FAILED is set,
 * no queue exists, the transport said so once.
 */
static void features_ok_refused_fails_probe(struct kunit *test)
{
	struct fok_dev *d = fok_register(test, true);
	struct vtr_device *vd = to_vtr(d->vdev);
	u8 status = d->status(d);

	KUNIT_EXPECT_EQ(test, fok_probes, 0);
	KUNIT_EXPECT_NULL(test, d->vdev->dev.driver);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_ACKNOWLEDGE);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_DRIVER);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_FEATURES_OK);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, vd->features_refused, 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&vd->vqs));
	KUNIT_EXPECT_TRUE(test, list_empty(&d->vdev->vqs));

	kunit_release_action(test, fok_unregister, d->vdev);
	KUNIT_EXPECT_EQ(test, fok_removes, 0);
}

/* The control: the same device accepting the features probes cleanly. */
static void features_ok_accepted_probes(struct kunit *test)
{
	struct fok_dev *d = fok_register(test, false);
	struct vtr_device *vd = to_vtr(d->vdev);
	u8 status = d->status(d);

	KUNIT_EXPECT_EQ(test, fok_probes, 1);
	KUNIT_EXPECT_PTR_EQ(test, d->vdev->dev.driver, &fok_driver.driver);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_FEATURES_OK);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, vd->features_refused, 0);
	KUNIT_EXPECT_EQ(test, d->vdev->features, FOK_FEATURES);

	kunit_release_action(test, fok_unregister, d->vdev);
	KUNIT_EXPECT_EQ(test, fok_removes, 1);
}

/*
 * 2.1.2: the device sets DEVICE_NEEDS_RESET and notifies a configuration
 * change. The transport notes it before the driver hears of the change,
 * once however often it is read, and a reset clears the note.
 */
static void needs_reset_noted_until_reset(struct kunit *test)
{
	struct fok_dev *d = fok_register(test, false);
	struct vtr_device *vd = to_vtr(d->vdev);

	KUNIT_ASSERT_EQ(test, fok_probes, 1);
	vtr_config_changed(vd);
	KUNIT_EXPECT_FALSE(test, vd->needs_reset);
	KUNIT_EXPECT_EQ(test, fok_config_changes, 1);

	d->set(d, VIRTIO_CONFIG_S_NEEDS_RESET);
	vtr_config_changed(vd);
	KUNIT_EXPECT_TRUE(test, vd->needs_reset);
	KUNIT_EXPECT_EQ(test, fok_config_changes, 2);
	KUNIT_EXPECT_TRUE(test, d->vdev->config->get_status(d->vdev) &
			  VIRTIO_CONFIG_S_NEEDS_RESET);
	KUNIT_EXPECT_TRUE(test, vd->needs_reset);

	virtio_reset_device(d->vdev);
	KUNIT_EXPECT_FALSE(test, vd->needs_reset);
	KUNIT_EXPECT_EQ(test, d->status(d), 0);
}

static int fok_init(struct kunit *test)
{
	fok_probes = 0;
	fok_removes = 0;
	fok_config_changes = 0;
	return register_virtio_driver(&fok_driver);
}

static void fok_exit(struct kunit *test)
{
	unregister_virtio_driver(&fok_driver);
}

static struct kunit_case va_features_ok_cases[] = {
	KUNIT_CASE_PARAM(features_ok_refused_fails_probe,
			 fok_transport_gen_params),
	KUNIT_CASE_PARAM(features_ok_accepted_probes,
			 fok_transport_gen_params),
	KUNIT_CASE_PARAM(needs_reset_noted_until_reset,
			 fok_transport_gen_params),
	{ }
};

static struct kunit_suite va_features_ok_suite = {
	.name = "virtio_alt_features_ok",
	.init = fok_init,
	.exit = fok_exit,
	.test_cases = va_features_ok_cases,
};

kunit_test_suite(va_features_ok_suite);
