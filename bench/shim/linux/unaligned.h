/* SPDX-License-Identifier: GPL-2.0-only */
/* tools/include's unaligned.h wants __packed, which tools/virtio lacks. */
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#include_next <linux/unaligned.h>
