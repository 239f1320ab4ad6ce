/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-auth-keyring.c — libsecret storage of the refresh token. See pd-auth-keyring.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "pd-auth.h"
#include "pd-auth-keyring.h"

static const SecretSchema *
refresh_token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.partnerdesk.PartnerDesk.RefreshToken", SECRET_SCHEMA_NONE,
    {
      { "login-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "tenant-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

void
pd_auth_stored_free (PdAuthStored *stored)
{
  if (stored == NULL)
    return;
  pd_auth_wipe_secret (stored->refresh_token);
  g_free (stored->refresh_token);
  g_free (stored->account);
  g_free (stored->tenant_id);
  g_free (stored);
}

/* What was asked of the keyring when it failed. */
typedef enum {
  KEYRING_KEEP,
  KEYRING_FORGET,
  KEYRING_READ,
} KeyringStep;

/* libsecret's failure cause (taken) as ours: libsecret's own message (D-Bus names, never the
 * secret) after ours, which says what failed; a cancellation as it is. (transfer full) */
static GError *
keyring_error (GError      *cause,
               KeyringStep  step)
{
  g_autoptr(GError) taken = cause;
  const char *message = cause->message;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&taken);
  if (step == KEYRING_KEEP)
    return g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE,
                        _("The keyring (Secret Service) could not keep the sign-in: %s"), message);
  if (step == KEYRING_FORGET)
    return g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE,
                        _("The keyring (Secret Service) could not forget the sign-in: %s"),
                        message);
  return g_error_new (PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE,
                      _("Could not look for a stored sign-in in the keyring (Secret Service): %s"),
                      message);
}

/* The end of a store or a clear: TRUE, or FALSE with the failure (cause, taken) as
 * keyring_error words it. A FALSE of libsecret without a cause is no failure. */
static gboolean
keyring_succeeded (GError       *cause,
                   KeyringStep   step,
                   GError      **error)
{
  if (cause == NULL)
    return TRUE;
  g_propagate_error (error, keyring_error (cause, step));
  return FALSE;
}

void
pd_auth_keyring_store_async (const char          *login_url,
                             const char          *client_id,
                             const char          *account,
                             const char          *tenant_id,
                             const char          *refresh_token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *label = NULL;

  account = account ? account : "";
  /* Translators: the name of the keyring item; %s is the signed-in account. */
  label = g_strdup_printf (_("Partner Desk sign-in (%s)"), account);
  secret_password_store (refresh_token_schema (), SECRET_COLLECTION_DEFAULT, label,
                         refresh_token, cancellable, callback, user_data,
                         "login-url", login_url, "client-id", client_id, "account", account,
                         "tenant-id", tenant_id ? tenant_id : "", NULL);
}

gboolean
pd_auth_keyring_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  GError *cause = NULL;

  secret_password_store_finish (result, &cause);
  return keyring_succeeded (cause, KEYRING_KEEP, error);
}

static PdAuthStored *
stored_from_retrievable (SecretRetrievable *item,
                         SecretValue       *value)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  PdAuthStored *stored;
  const char *account;
  const char *tenant_id;

  if (value == NULL || secret_value_get_text (value) == NULL)
    return NULL;
  account = g_hash_table_lookup (attributes, "account");
  tenant_id = g_hash_table_lookup (attributes, "tenant-id");
  stored = g_new0 (PdAuthStored, 1);
  stored->refresh_token = g_strdup (secret_value_get_text (value));
  stored->account = account && *account ? g_strdup (account) : NULL;
  stored->tenant_id = tenant_id && *tenant_id ? g_strdup (tenant_id) : NULL;
  return stored;
}

static void
on_retrieved (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  g_autoptr(SecretValue) value =
    secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, KEYRING_READ));
      return;
    }
  g_task_return_pointer (task, stored_from_retrievable (SECRET_RETRIEVABLE (source), value),
                         (GDestroyNotify) pd_auth_stored_free);
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  SecretRetrievable *newest = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, KEYRING_READ));
      return;
    }
  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL
        || secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
      newest = l->data;
  if (newest == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* The item must outlive the list until its secret is read. */
      g_task_set_task_data (task, g_object_ref (newest), g_object_unref);
      secret_retrievable_retrieve_secret (newest, cancellable, on_retrieved,
                                          g_steal_pointer (&task));
    }
  g_list_free_full (items, g_object_unref);
}

static GHashTable *
search_attributes (const char *login_url,
                   const char *client_id)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, "login-url", (gpointer) login_url);
  g_hash_table_insert (attributes, "client-id", (gpointer) client_id);
  return attributes;
}

void
pd_auth_keyring_lookup_async (const char          *login_url,
                              const char          *client_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = search_attributes (login_url, client_id);

  /* Through libsecret's backend, never SecretService directly: inside a flatpak that is
   * the file backend keyed by the Secret portal, so no --talk-name=org.freedesktop.secrets. */
  secret_password_searchv (refresh_token_schema (), attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           cancellable, on_searched, task);
}

PdAuthStored *
pd_auth_keyring_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pd_auth_keyring_clear_async (const char          *login_url,
                             const char          *client_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = search_attributes (login_url, client_id);

  secret_password_clearv (refresh_token_schema (), attributes, cancellable, callback, user_data);
}

gboolean
pd_auth_keyring_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  GError *cause = NULL;

  /* FALSE without an error only means there was nothing to delete. */
  secret_password_clear_finish (result, &cause);
  return keyring_succeeded (cause, KEYRING_FORGET, error);
}
