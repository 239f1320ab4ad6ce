/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-auth.h — the simulator's login authority (Entra ID v2 device code flow and refresh
 * tokens) and the bearer-token check of the API.
 *
 * Test hooks through the client_id of the device code request: "decline" makes the user
 * decline (authorization_declined), "expire" lets the code expire (expired_token), "no-mfa"
 * issues tokens whose amr claim lacks "mfa". Any other client id is approved after
 * approve_after_ms.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PdSimAuth PdSimAuth;

/* (transfer full) */
PdSimAuth *pd_sim_auth_new                (const char *partner_tenant_id,
                                           const char *extra_token,
                                           guint64     seed);
void       pd_sim_auth_free               (PdSimAuth  *auth);
void       pd_sim_auth_set_approve_after  (PdSimAuth  *auth, guint approve_after_ms);
/* Access token lifetime, seconds (default 3599). */
void       pd_sim_auth_set_token_lifetime (PdSimAuth  *auth, guint seconds);
/* status: every request of the token and devicecode endpoints fails with it; 400 as
 * unauthorized_client (AADSTS700016: the app registration deleted or disabled), another as
 * temporarily_unavailable (an outage). 0: none fails. */
void       pd_sim_auth_set_token_failure (PdSimAuth  *auth, guint status);
/* TRUE when `authorization` is "Bearer <token>" with a token this authority issued and that
 * has not expired, or the extra token. */
gboolean   pd_sim_auth_check_bearer       (PdSimAuth  *auth, const char *authorization,
                                           gint64 now_us);
/* Handles POST …/oauth2/v2.0/devicecode ("devicecode") and …/token ("token") with the
 * decoded form; returns the HTTP status and sets *body to the JSON answer.
 * body: (out) (transfer full) */
guint      pd_sim_auth_handle             (PdSimAuth  *auth, const char *endpoint,
                                           GHashTable *form, const char *base_url,
                                           gint64 now_us, char **body);
guint      pd_sim_auth_n_tokens_issued    (PdSimAuth  *auth);
/* TRUE when `authorization` carries a JWT whose payload has an amr claim without "mfa" (an
 * App+User sign-in without multi-factor authentication: refused since April 2026). An opaque
 * token, or a JWT without amr (app-only), does not count as lacking it. */
gboolean   pd_sim_auth_bearer_lacks_mfa   (const char *authorization);

G_END_DECLS
