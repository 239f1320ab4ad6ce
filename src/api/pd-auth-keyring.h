/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-auth-keyring.h — the refresh token in the keyring through libsecret (internal to PdAuth):
 * the Secret Service, or inside a flatpak libsecret's own file keyring that the Secret portal
 * unlocks.
 *
 * One item per (login authority, client id, account), labelled "Partner Desk sign-in
 * (<account>)", schema io.github.partnerdesk.PartnerDesk.RefreshToken. The account and the
 * partner tenant id are attributes too, so a restore knows them before any network call. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *refresh_token;
  char *account;
  char *tenant_id;
} PdAuthStored;

void pd_auth_stored_free (PdAuthStored *stored);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdAuthStored, pd_auth_stored_free)

void          pd_auth_keyring_store_async   (const char *login_url, const char *client_id,
                                             const char *account, const char *tenant_id,
                                             const char *refresh_token,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean      pd_auth_keyring_store_finish  (GAsyncResult *result, GError **error);

/* The most recently stored item for this authority and client, or NULL (no error) when none. */
void          pd_auth_keyring_lookup_async  (const char *login_url, const char *client_id,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
/* (transfer full) */
PdAuthStored *pd_auth_keyring_lookup_finish (GAsyncResult *result, GError **error);

/* Deletes every item of this authority and client. */
void          pd_auth_keyring_clear_async   (const char *login_url, const char *client_id,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean      pd_auth_keyring_clear_finish  (GAsyncResult *result, GError **error);

G_END_DECLS
