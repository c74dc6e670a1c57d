/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version glue. Everything that differs between the kernels toytcp
 * builds against (Debian's 6.1, 6.12 and the test kernel) lives here and
 * nowhere else.
 */
#ifndef _TOYTCP_COMPAT_H
#define _TOYTCP_COMPAT_H

#include <linux/module.h>
#include <kunit/visibility.h>

/*
 * TOYTCP_IMPORT_KUNIT_NS - let a test module use EXPORT_SYMBOL_IF_KUNIT()
 * symbols. 6.13 changed MODULE_IMPORT_NS() to take a string literal; Kbuild
 * defines TOYTCP_NS_IS_STRING from the target kernel's version.
 */
#ifdef TOYTCP_NS_IS_STRING
#define TOYTCP_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define TOYTCP_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

/* 6.5 added SLAB_NO_MERGE; before it, a cache may share another's slabs. */
#include <linux/slab.h>
#ifndef SLAB_NO_MERGE
#define SLAB_NO_MERGE	0
#endif

/*
 * 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>; Kbuild defines
 * TOYTCP_LINUX_UNALIGNED from the target kernel's version.
 */
#ifdef TOYTCP_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * proto_ops.accept's last parameters, and the flags among them: 6.10 put
 * them into struct proto_accept_arg. Kbuild defines TOYTCP_ACCEPT_ARG
 * from the target kernel's version.
 */
#ifdef TOYTCP_ACCEPT_ARG
#define TOYTCP_ACCEPT_PARAMS	struct proto_accept_arg *arg
#define TOYTCP_ACCEPT_FLAGS	(arg->flags)
#else
#define TOYTCP_ACCEPT_PARAMS	int flags, bool kern
#define TOYTCP_ACCEPT_FLAGS	(flags)
#endif

#endif /* _TOYTCP_COMPAT_H */
