// SPDX-License-Identifier: GPL-2.0
/*
 * toytcp_test.ko: the KUnit suites of toytcp. Each *_test.c file holds the
 * suites of one area (suite names toytcp_<area>) and registers them itself;
 * this file only describes the module. Load toytcp.ko first: the suites call
 * into it through EXPORT_SYMBOL_IF_KUNIT().
 */
#include <linux/module.h>
#include "compat.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for toytcp");
TOYTCP_IMPORT_KUNIT_NS();
