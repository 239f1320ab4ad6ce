/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-session.h — what the network commands share: the sign-in from the environment, the
 * Partner Center client, the settings that tune it, Ctrl+C, and waiting for an async call.
 */
#pragma once

#include "api/pd-auth.h"
#include "api/pd-pc-client.h"
#include "pd-cli.h"

G_BEGIN_DECLS

/* The public client of design.md when neither PARTNER_DESK_CLIENT_ID nor the setting gives
 * one. */
#define PD_CLI_DEFAULT_CLIENT_ID "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

/* PARTNER_DESK_ACCESS_TOKEN, or the device code flow against PARTNER_DESK_LOGIN_URL with the
 * client id of PARTNER_DESK_CLIENT_ID / the client-id setting / the default. (transfer full) */
PdAuth     *pd_cli_auth_new          (GError      **error);
/* Signs in from the keyring when needed. FALSE with error when not signed in. */
gboolean    pd_cli_auth_restore      (PdAuth       *auth,
                                      GCancellable *cancellable,
                                      GError      **error);
/* A client on PARTNER_DESK_API_URL (or the api-url setting, or the default). (transfer full) */
PdPcClient *pd_cli_client_new        (PdAuth       *auth,
                                      GError      **error);
/* The max-in-flight and requests-per-minute settings (0 when there is no schema). */
void        pd_cli_get_rate_settings (guint        *max_in_flight,
                                      guint        *requests_per_minute);

/* The partner-role setting ("direct-partner", "indirect-provider", "reseller"), or NULL when
 * the app's settings are not installed. (transfer full) (nullable) */
char       *pd_cli_dup_partner_role  (void);

/* Cancels cancellable on SIGINT (Ctrl+C) or SIGTERM (a service manager stopping us) until
 * stopped; the caller then unwinds normally, so the cache stays consistent. */
typedef struct {
  guint ids[2];
} PdCliSignalWatch;

void        pd_cli_signal_watch_start (PdCliSignalWatch *watch,
                                       GCancellable     *cancellable);
void        pd_cli_signal_watch_stop  (PdCliSignalWatch *watch);

/* Callback for the async calls: stores a ref to the result in *(GAsyncResult **) data. */
void        pd_cli_store_result      (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      data);
/* Iterates the default main context until *slot is set, and returns *slot, which the caller
 * still owns through slot. (transfer none) */
GAsyncResult *pd_cli_wait            (GAsyncResult **slot);

/* Records the partner tenant id (NULL: nothing to record) in the store, for the offline
 * consent link. */
void        pd_cli_remember_partner  (PdCli        *cli,
                                      const char   *partner_tenant_id);

G_END_DECLS
