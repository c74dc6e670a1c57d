/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_PARAMS_H
#define _TOYTCP_PARAMS_H

#include <linux/types.h>
#include "compat.h"

/* Read these with READ_ONCE(): writable ones change under our feet. */
extern unsigned int toytcp_msl_ms;
extern unsigned int toytcp_rto_ms;
extern unsigned int toytcp_rto_min_ms;
extern unsigned int toytcp_rto_max_ms;
extern unsigned int toytcp_fin_timeout_ms;
extern unsigned int toytcp_max_retries;
extern unsigned int toytcp_syn_retries;
extern unsigned int toytcp_synack_retries;
extern unsigned int toytcp_mss;
extern unsigned int toytcp_delack_ms;
extern unsigned int toytcp_keepalive_time_ms;
extern unsigned int toytcp_keepalive_intvl_ms;
extern unsigned int toytcp_keepalive_probes;
extern unsigned int toytcp_backlog;
extern unsigned int toytcp_syncookies;
extern unsigned int toytcp_gso;
extern unsigned int toytcp_max_conns;
extern unsigned int toytcp_max_timewait;
extern unsigned int toytcp_max_orphans;

/* Upper bound of the `listen` module parameter's list. */
#define TOYTCP_MAX_LISTEN_PARAM	16

int toytcp_params_listen_ports(u16 *ports, int max);

#if IS_ENABLED(CONFIG_KUNIT)
int toytcp_parse_port_list(const char *s, u16 *ports, int max);
#endif

#endif /* _TOYTCP_PARAMS_H */
