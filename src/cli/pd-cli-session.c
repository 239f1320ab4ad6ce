/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-session.c — sign-in, client and settings shared by the network commands. */
#include "config.h"

#include <signal.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pd-cli-session.h"

/* The app's settings, when its schema is installed: a user who tuned the client id, URLs or
 * the rate caps in the app gets the same from the command line. Missing schema → defaults. */
static GSettings *
app_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static char *
setting_string (const char *key)
{
  g_autoptr(GSettings) settings = app_settings ();
  char *value = settings != NULL ? g_settings_get_string (settings, key) : NULL;

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

char *
pd_cli_dup_partner_role (void)
{
  return setting_string ("partner-role");
}

void
pd_cli_get_rate_settings (guint *max_in_flight,
                          guint *requests_per_minute)
{
  g_autoptr(GSettings) settings = app_settings ();

  *max_in_flight = settings != NULL ? g_settings_get_uint (settings, "max-in-flight") : 0;
  *requests_per_minute = settings != NULL ? g_settings_get_uint (settings, "requests-per-minute")
                                          : 0;
}

PdAuth *
pd_cli_auth_new (GError **error)
{
  const char *env_client = g_getenv ("PARTNER_DESK_CLIENT_ID");
  g_autofree char *client_id = NULL;
  g_autofree char *login_url = setting_string ("login-url");

  if (env_client != NULL && *env_client != '\0')
    client_id = g_strdup (env_client);
  else if ((client_id = setting_string ("client-id")) == NULL)
    client_id = g_strdup (PD_CLI_DEFAULT_CLIENT_ID);
  /* PARTNER_DESK_LOGIN_URL still wins over the setting (pd_auth_new_from_environment). */
  return pd_auth_new_from_environment (login_url != NULL ? login_url : PD_DEFAULT_LOGIN_URL,
                                       client_id, error);
}

gboolean
pd_cli_auth_restore (PdAuth        *auth,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (pd_auth_get_signed_in (auth))
    return TRUE;
  pd_auth_restore_async (auth, cancellable, pd_cli_store_result, &result);
  if (!pd_auth_restore_finish (auth, pd_cli_wait (&result), error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN,
                     _("not signed in: run “partner-desk-cli sign-in” first, or set "
                       "PARTNER_DESK_ACCESS_TOKEN"));
      else if (error != NULL
               && g_error_matches (*error, PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE))
        g_prefix_error (error, _("not signed in (set PARTNER_DESK_ACCESS_TOKEN, or sign in where "
                                 "a keyring runs): "));
      return FALSE;
    }
  return TRUE;
}

PdPcClient *
pd_cli_client_new (PdAuth  *auth,
                   GError **error)
{
  const char *env_url = g_getenv ("PARTNER_DESK_API_URL");
  g_autofree char *url = NULL;

  if (env_url != NULL && *env_url != '\0')
    url = g_strdup (env_url);
  else if ((url = setting_string ("api-url")) == NULL)
    url = g_strdup (PD_DEFAULT_API_URL);
  return pd_pc_client_new (url, auth, error);
}

static gboolean
on_signal (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_CONTINUE;
}

void
pd_cli_signal_watch_start (PdCliSignalWatch *watch,
                           GCancellable     *cancellable)
{
  /* Cancelling twice is a no-op, so a second Ctrl+C while unwinding is harmless. */
  watch->ids[0] = g_unix_signal_add (SIGINT, on_signal, cancellable);
  watch->ids[1] = g_unix_signal_add (SIGTERM, on_signal, cancellable);
}

void
pd_cli_signal_watch_stop (PdCliSignalWatch *watch)
{
  for (guint i = 0; i < G_N_ELEMENTS (watch->ids); i++)
    g_clear_handle_id (&watch->ids[i], g_source_remove);
}

void
pd_cli_store_result (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  GAsyncResult **slot = data;

  *slot = g_object_ref (result);
}

GAsyncResult *
pd_cli_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
pd_cli_remember_partner (PdCli      *cli,
                         const char *tenant)
{
  g_autoptr(GError) error = NULL;
  PdStore *store;

  if (tenant == NULL || !g_uuid_string_is_valid (tenant))
    return;
  store = pd_cli_get_store (cli, &error);
  /* Never over another account's: the cache holds that account's customers. */
  if (store == NULL || !pd_store_claim_partner (store, tenant, NULL, NULL, &error))
    g_printerr (_("Warning: %s\n"), error->message);
}
