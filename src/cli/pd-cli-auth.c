/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-auth.c — `sign-in`, `sign-out` and `consent-link [--dap]`. */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "pd-cli-session.h"

static void
show_device_code (const PdDeviceCode *code,
                  gpointer            user_data)
{
  guint minutes = MAX (code->expires_in / 60, 1);

  /* The user code is a one-time code the user types in the browser, not a token. */
  g_print (_("To sign in, open %s in a browser and enter the code %s\n"),
           code->verification_uri, code->user_code);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Waiting for the sign-in to be approved (the code expires in %u minute; "
                        "Ctrl+C cancels)…\n",
                        "Waiting for the sign-in to be approved (the code expires in %u minutes; "
                        "Ctrl+C cancels)…\n", minutes), minutes);
  fflush (stdout);
}

static int
sign_in (PdCli  *cli,
         PdAuth *auth)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdCliSignalWatch signals;
  gboolean ok;

  /* An empty one is no token (pd_auth ignores it): signing in is needed all the same. */
  if (g_strcmp0 (g_getenv ("PARTNER_DESK_ACCESS_TOKEN"), "") > 0)
    {
      g_print ("%s\n", _("PARTNER_DESK_ACCESS_TOKEN is set: that token is used, no sign-in "
                         "needed."));
      return PD_CLI_EXIT_OK;
    }
  pd_cli_signal_watch_start (&signals, cancellable);
  pd_auth_sign_in_async (auth, show_device_code, NULL, cancellable, pd_cli_store_result,
                         &result);
  ok = pd_auth_sign_in_finish (auth, pd_cli_wait (&result), &error);
  pd_cli_signal_watch_stop (&signals);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sign-in cancelled"));
      return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sign-in failed: %s"), error->message);
    }
  pd_cli_remember_partner (cli, pd_auth_get_tenant_id (auth));
  /* Signed in for this process only, which ends here: no later command would be. */
  if (pd_auth_get_keep_error (auth) != NULL)
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sign-in not kept, so later commands are not "
                                             "signed in (set PARTNER_DESK_ACCESS_TOKEN, or sign "
                                             "in where a keyring runs): %s"),
                        pd_auth_get_keep_error (auth)->message);
  if (pd_auth_get_account (auth) != NULL)
    g_print (_("Signed in as %s.\n"), pd_auth_get_account (auth));
  else
    g_print ("%s\n", _("Signed in."));
  return PD_CLI_EXIT_OK;
}

static int
sign_out (PdCli  *cli,
          PdAuth *auth)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_auth_sign_out_async (auth, NULL, pd_cli_store_result, &result);
  if (pd_auth_sign_out_finish (auth, pd_cli_wait (&result), &error))
    {
      g_print ("%s\n", _("Signed out."));
      /* The stored sign-in is gone; a token in the environment is not ours to forget. */
      const char *token = g_getenv ("PARTNER_DESK_ACCESS_TOKEN");

      if (token != NULL && *token != '\0')
        g_print ("%s\n", _("PARTNER_DESK_ACCESS_TOKEN is still set: commands use that token "
                           "until it is unset."));
      return PD_CLI_EXIT_OK;
    }
  if (g_error_matches (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sign-out: the keyring cannot be reached, so a "
                                             "stored sign-in may remain (%s)"), error->message);
  return pd_cli_fail (PD_CLI_EXIT_ERROR, _("sign-out failed: %s"), error->message);
}

typedef int (*AuthAction) (PdCli  *cli,
                           PdAuth *auth);

/* sign-in and sign-out: no option, no argument, an action on the keyring's sign-in. */
static int
run_auth_command (PdCli       *cli,
                  char       **argv,
                  const char  *name,
                  AuthAction   action)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(PdAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options (name, NULL, argv, 0, 0, &args, &status))
    return status;
  auth = pd_cli_auth_new (&error);
  if (auth == NULL)
    return pd_cli_fail_error (error);
  return action (cli, auth);
}

int
pd_cli_cmd_sign_in (PdCli  *cli,
                    char  **argv)
{
  return run_auth_command (cli, argv, "sign-in", sign_in);
}

int
pd_cli_cmd_sign_out (PdCli  *cli,
                     char  **argv)
{
  return run_auth_command (cli, argv, "sign-out", sign_out);
}

/* GET /v1/customers/relationshiprequests; NULL with error when signed out or offline. */
static char *
link_from_api (PdAuth   *auth,
               gboolean  dap,
               GError  **error)
{
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = NULL;

  if (!pd_cli_auth_restore (auth, NULL, error))
    return NULL;
  client = pd_cli_client_new (auth, error);
  if (client == NULL)
    return NULL;
  pd_pc_client_get_relationship_request_async (client, NULL, pd_cli_store_result, &result);
  url = pd_pc_client_get_relationship_request_finish (client, pd_cli_wait (&result), error);
  if (url == NULL)
    return NULL;
  return pd_pc_consent_link_with_dap (url, dap);
}

/* The partnerId parameter of a consent link, or NULL. */
static char *
partner_id_of_link (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) params = NULL;
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

  if (query == NULL)
    return NULL;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_CASE_INSENSITIVE, NULL);
  return params != NULL ? g_strdup (g_hash_table_lookup (params, "partnerId")) : NULL;
}

static char *
partner_tenant (PdCli  *cli,
                PdAuth *auth)
{
  PdStore *store;

  if (auth != NULL && pd_auth_get_tenant_id (auth) != NULL)
    return g_strdup (pd_auth_get_tenant_id (auth));
  /* A mistyped --db must not become an empty cache: a new one records no partner anyway. */
  store = pd_cli_get_existing_store (cli);
  return store != NULL ? pd_store_dup_partner_tenant_id (store) : NULL;
}

int
pd_cli_cmd_consent_link (PdCli  *cli,
                         char  **argv)
{
  gboolean dap = FALSE;
  const GOptionEntry entries[] = {
    { "dap", 0, 0, G_OPTION_ARG_NONE, &dap, N_("Also ask for delegated admin privileges"),
      NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(PdAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *tenant = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("consent-link", entries, argv, 0, 0, &args, &status)
      || pd_cli_refuse_demo_cache (cli, "consent-link", &status))
    return status;
  auth = pd_cli_auth_new (&error);
  if (auth != NULL)
    url = link_from_api (auth, dap, &error);
  if (url != NULL)
    {
      g_autofree char *from_link = partner_id_of_link (url);

      /* With PARTNER_DESK_ACCESS_TOKEN there is no sign-in to learn the partner from: the
       * link names it, and that is enough for the offline link next time. */
      pd_cli_remember_partner (cli, pd_auth_get_tenant_id (auth) != NULL
                                      ? pd_auth_get_tenant_id (auth) : from_link);
      g_print ("%s\n", url);
      return PD_CLI_EXIT_OK;
    }
  /* Offline (or signed out): the link only depends on the partner's tenant ID. */
  tenant = partner_tenant (cli, auth);
  if (tenant == NULL)
    return pd_cli_fail (PD_CLI_EXIT_ERROR,
                        _("cannot get the consent link (%s), and no partner tenant ID is "
                          "recorded to build it offline: sign in or sync once"),
                        error->message);
  url = pd_pc_build_consent_link (tenant, dap);
  g_print ("%s\n", url);
  g_printerr (_("(built offline from partner tenant %s, because: %s)\n"), tenant,
              error->message);
  return PD_CLI_EXIT_OK;
}
