/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel source's uapi header, which tools/virtio does not carry. */
#include <ksrc/include/uapi/linux/virtio_pci.h>
