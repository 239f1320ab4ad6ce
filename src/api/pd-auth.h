/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-auth.h — sign-in to Microsoft Entra ID (OAuth 2.0 device code flow) and tokens.
 *
 * The refresh token lives only in the Secret Service (libsecret, one labelled item per
 * account); the access token only in memory. PARTNER_DESK_ACCESS_TOKEN (or
 * pd_auth_new_with_token) skips sign-in. Nothing here ever logs a token.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_DEFAULT_API_URL    "https://api.partnercenter.microsoft.com"
#define PD_DEFAULT_LOGIN_URL  "https://login.microsoftonline.com/organizations"
#define PD_API_SCOPE          "https://api.partnercenter.microsoft.com/user_impersonation offline_access"

#define PD_AUTH_ERROR (pd_auth_error_quark ())
typedef enum {
  PD_AUTH_ERROR_FAILED,
  PD_AUTH_ERROR_NOT_SIGNED_IN,
  PD_AUTH_ERROR_EXPIRED,         /* device code expired before approval */
  PD_AUTH_ERROR_DECLINED,        /* user declined */
  PD_AUTH_ERROR_INSECURE_URL,
  PD_AUTH_ERROR_NO_SECRET_SERVICE,
  /* Microsoft's sign-in answered, refusing (the app registration, a policy): not a network
   * problem, and not one the same sign-in outlives. */
  PD_AUTH_ERROR_REFUSED,
} PdAuthError;
GQuark pd_auth_error_quark (void);

/* What the user must see during the device code flow. */
typedef struct {
  char   *user_code;
  char   *verification_uri;
  char   *message;        /* Entra's own sentence, may be NULL */
  guint   expires_in;     /* seconds */
} PdDeviceCode;

typedef void (*PdDeviceCodeFunc) (const PdDeviceCode *code,
                                  gpointer            user_data);

#define PD_TYPE_AUTH (pd_auth_get_type ())
G_DECLARE_FINAL_TYPE (PdAuth, pd_auth, PD, AUTH, GObject)

/* login_url: the authority, e.g. PD_DEFAULT_LOGIN_URL (endpoints are
 * {login_url}/oauth2/v2.0/devicecode and /token). Fails for http:// to non-loopback.
 * (transfer full) */
PdAuth     *pd_auth_new                 (const char *login_url,
                                         const char *client_id,
                                         GError    **error);
/* A fixed bearer token (PARTNER_DESK_ACCESS_TOKEN, tests): always "signed in". (transfer full) */
PdAuth     *pd_auth_new_with_token      (const char *access_token);
/* pd_auth_new_with_token if PARTNER_DESK_ACCESS_TOKEN is set, else pd_auth_new with
 * PARTNER_DESK_LOGIN_URL (or default_login_url) and client_id. (transfer full) */
PdAuth     *pd_auth_new_from_environment (const char *default_login_url,
                                          const char *client_id,
                                          GError    **error);

/* The access token is PARTNER_DESK_ACCESS_TOKEN's (pd_auth_new_from_environment): when
 * Partner Center refuses it, signing in again cannot help, a new token can. */
gboolean    pd_auth_get_token_from_environment (PdAuth *self);

gboolean    pd_auth_get_signed_in       (PdAuth *self);
/* The signed-in user (UPN from the id/access token) or NULL. (transfer none) (nullable) */
const char *pd_auth_get_account         (PdAuth *self);
/* The partner's tenant id (tid claim), recorded at sign-in for the offline consent link.
 * (transfer none) */
const char *pd_auth_get_tenant_id       (PdAuth *self);

/* Why the last sign-in could not be kept in the keyring (the Secret Service cannot be
 * reached, or refused): it then holds only as long as this PdAuth. NULL when it was kept.
 * (transfer none) (nullable) */
const GError *pd_auth_get_keep_error    (PdAuth *self);

/* Overwrites the bytes of secret (a token, an Authorization header; NULL is fine) with zeros
 * before its memory is freed, so that it does not linger there. */
void        pd_auth_wipe_secret         (char   *secret);

/* Looks for a stored refresh token (Secret Service) and redeems it. Finishes TRUE when signed
 * in, FALSE (no error) when there is nothing stored. */
void        pd_auth_restore_async       (PdAuth *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean    pd_auth_restore_finish      (PdAuth *self, GAsyncResult *result, GError **error);

/* Device code flow: requests a code, calls show_code once, polls the token endpoint at the
 * interval Entra gives until approved, declined, expired or cancelled; stores the refresh
 * token. */
void        pd_auth_sign_in_async       (PdAuth *self,
                                         PdDeviceCodeFunc show_code, gpointer show_code_data,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean    pd_auth_sign_in_finish      (PdAuth *self, GAsyncResult *result, GError **error);

/* A valid access token, refreshed when it expires within 5 minutes. */
void        pd_auth_get_access_token_async  (PdAuth *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
/* (transfer full) */
char       *pd_auth_get_access_token_finish (PdAuth *self, GAsyncResult *result, GError **error);
/* Called by the client after a 401: the next get_access_token refreshes. */
void        pd_auth_invalidate_access_token (PdAuth *self);

/* Forgets the tokens (a PARTNER_DESK_ACCESS_TOKEN one too, for this PdAuth) and deletes the
 * stored refresh token. */
void        pd_auth_sign_out_async      (PdAuth *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean    pd_auth_sign_out_finish     (PdAuth *self, GAsyncResult *result, GError **error);

G_END_DECLS
