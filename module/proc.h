/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_PROC_H
#define _TOYTCP_PROC_H

int toytcp_proc_init(void);
void toytcp_proc_exit(void);

#endif /* _TOYTCP_PROC_H */
