/* metrics.h - request counters, latency histograms and gauges, rendered in the Prometheus
 * text format by GET /metrics. Lock-free: every counter is an atomic. */
#ifndef CORDON_SERVER_METRICS_H
#define CORDON_SERVER_METRICS_H

#include "holder.h"

#include <stddef.h>
#include <stdint.h>

typedef enum endpoint_id {
    EP_SCREEN = 0,
    EP_BATCH,
    EP_LISTS,
    EP_HEALTHZ,
    EP_READYZ,
    EP_METRICS,
    EP_RELOAD,
    EP_YENTE_MATCH,
    EP_YENTE_SEARCH,
    EP_RECONCILE,
    EP_WATCHMAN_SEARCH,
    EP_WATCHMAN_LISTINFO,
    EP_GOODS,
    EP_TRANSACTIONS,
    EP_NETWORK,
    EP_COUNTERPARTIES,
    EP_ALERTS,
    EP_ALERT,
    EP_AUDIT,
    EP_UPDATES,
    EP_ADMIN_UPDATE,
    EP_ADMIN_RESCREEN,
    EP_OTHER,
    EP_COUNT
} endpoint_id;

const char *endpoint_name(endpoint_id ep);

/* One finished request: its endpoint, HTTP status and wall time. */
void metrics_request(endpoint_id ep, unsigned status, uint64_t ns);
/* One error answer, by its error code ("payload_too_large"...). */
void metrics_error(endpoint_id ep, const char *code);
void metrics_start(void);
void metrics_reload(int ok);
void metrics_connection(int delta);
long metrics_connections(void);
void metrics_batch(int delta);
long metrics_batches(void);

/* Renders everything (r may be NULL while no snapshot is loaded); malloc'd text. */
char *metrics_render(const engine_ref *r, size_t *len);

#endif
