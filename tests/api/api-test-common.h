/* SPDX-License-Identifier: GPL-3.0-or-later */
/* api-test-common.h — helpers shared by the tests of src/api. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define API_TEST_WAIT_MS 30000

/* Collects the result of one async call at a time. */
typedef struct {
  gboolean      done;
  GAsyncResult *result;
} ApiWait;

/* A GAsyncReadyCallback; user data is the ApiWait. */
void          api_wait_callback (GObject *source, GAsyncResult *result, gpointer wait);
/* Spins (bounded) until the call finished; returns its result (owned). */
GAsyncResult *api_wait_take     (ApiWait *wait);
void          api_wait_clear    (ApiWait *wait);

/* A SoupServer on 127.0.0.1 (any port) with handler for every path; *base_url receives
 * "http://127.0.0.1:PORT". */
SoupServer   *api_loopback_server_new (SoupServerCallback   handler,
                                       gpointer             data,
                                       char               **base_url);

G_END_DECLS
