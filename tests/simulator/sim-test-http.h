/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-test-http.h — raw HTTP against an in-process simulator, for the simulator's tests. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pd-simulator.h"

G_BEGIN_DECLS

#define SIM_TEST_TOKEN "test-token"

typedef struct {
  PdSimulator *sim;
  SoupSession *session;
  const char  *base;
} SimFixture;

typedef struct {
  guint               status;       /* 0 when the transport failed */
  GBytes             *body;
  SoupMessageHeaders *headers;
  GError             *error;
  gboolean            done;
} SimReply;

/* Options: the defaults with n customers, the test token, quick device code approval. */
void        sim_fixture_setup     (SimFixture *f, PdSimulatorOptions *options);
void        sim_fixture_teardown  (SimFixture *f);

/* One request; `extra` is NULL-terminated header name/value pairs. Asserts it finished. */
SimReply   *sim_request           (SimFixture *f, const char *method, const char *path_or_url,
                                   const char *token, const char *content_type,
                                   const char *body, const char * const *extra);
SimReply   *sim_get               (SimFixture *f, const char *path);
void        sim_reply_free        (SimReply *reply);
/* The body as a JSON object; asserts it parses. Free with json_object_unref. */
JsonObject *sim_reply_object      (SimReply *reply);
gboolean    sim_reply_is_json     (SimReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimReply, sim_reply_free)

G_END_DECLS
