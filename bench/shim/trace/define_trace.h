/* SPDX-License-Identifier: GPL-2.0-only */
/* CREATE_TRACE_POINTS has nothing to create here (linux/tracepoint.h). */
