/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-push.c — `push-bill-to ORG [--yes]`: the app's "Push to Partner Center…" for
 * scripts. The same rules (sync/pd-bill-to-change.h): re-read Partner Center's billing profile
 * for a fresh etag, show the difference, send only the locally edited fields with that etag,
 * store the answer; on a conflict nothing is sent and the fresh values are shown (exit 4). A
 * reseller cannot change the billing profile: it gets the change request for its provider. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "core/pd-text.h"
#include "pd-cli-session.h"
#include "pd-cli-table.h"
#include "pd-cli.h"
#include "sync/pd-bill-to-change.h"
#include "sync/pd-sync-engine.h"

typedef struct {
  PdCli          *cli;
  PdPcClient     *client;
  PdOrganization *org;
  gboolean        yes;
} Push;

/* Asks on the terminal (or reads the answer a script pipes in); FALSE without one. */
static gboolean
confirmed (void)
{
  char answer[16] = "";

  /* Translators: keep "[y/N]": only y or Y is taken as yes, in every language */
  g_print ("%s ", _("Send these changes to Partner Center? [y/N]"));
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  return answer[0] == 'y' || answer[0] == 'Y';
}

static PdPcBillingProfile *
read_fresh (Push    *push,
            GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pc_client_get_billing_profile_async (push->client, pd_organization_get_tenant_id (push->org),
                                          NULL, pd_cli_store_result, &result);
  return pd_pc_client_get_billing_profile_finish (push->client, pd_cli_wait (&result), error);
}

static int
report_conflict (Push               *push,
                 PdPcBillingProfile *fresh)
{
  const PdBillTo *cached = pd_organization_get_bill_to_partner_center (push->org);
  g_autofree char *changes =
    pd_bill_to_change_describe (cached, fresh->bill_to, pd_bill_to_diff_mask (cached,
                                                                              fresh->bill_to));

  g_print ("%s\n%s", _("Someone changed this bill-to in Partner Center meanwhile. Nothing was "
                       "sent. Current Partner Center values:"),
           *changes != '\0' ? changes : _("(no visible field changed)\n"));
  return pd_cli_fail (PD_CLI_EXIT_REFUSED, _("conflict: run “push-bill-to” again to review "
                                             "the new values"));
}

/* After a change that can start Microsoft's account verification: where it stands now. */
static void
print_account_status (Push *push)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcValidationStatus) status = NULL;

  pd_pc_client_get_validation_status_async (push->client,
                                            pd_organization_get_tenant_id (push->org), NULL,
                                            pd_cli_store_result, &result);
  status = pd_pc_client_get_validation_status_finish (push->client, pd_cli_wait (&result),
                                                      &error);
  if (status == NULL)
    {
      g_print (_("Account verification: could not be read (%s)\n"), error->message);
      return;
    }
  g_print (_("Account verification: %s\n"), pd_account_status_describe (status->status));
  if (!pd_store_set_account_status (pd_cli_get_store (push->cli, NULL),
                                    pd_organization_get_id (push->org), status->status, &error))
    g_printerr (_("Warning: %s\n"), error->message);
}

/* After a PUT whose outcome is unknown (its answer was lost): Partner Center's bill-to read
 * back when it holds every value sent, else NULL with error: why the outcome stays unknown, or
 * none when Partner Center does not hold them (the change was not applied). */
static PdPcBillingProfile *
read_back_applied (Push     *push,
                   guint32   mask,
                   GError  **error)
{
  g_autoptr(PdPcBillingProfile) now = read_fresh (push, error);

  if (now == NULL || !pd_bill_to_change_applied (push->org, now->bill_to, mask))
    return NULL;
  return g_steal_pointer (&now);
}

static int
send (Push                     *push,
      const PdPcBillingProfile *fresh,
      guint32                   mask)
{
  g_autoptr(PdPcBillingProfile) put = pd_bill_to_change_build_put (fresh, push->org, mask);
  g_autoptr(PdPcBillingProfile) updated = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PdPcBillingProfile *conflict = NULL;
  PdStore *store = pd_cli_get_store (push->cli, NULL);

  pd_pc_client_put_billing_profile_async (push->client, pd_organization_get_tenant_id (push->org),
                                          put, NULL, pd_cli_store_result, &result);
  updated = pd_pc_client_put_billing_profile_finish (push->client, pd_cli_wait (&result),
                                                     &conflict, &error);
  if (updated == NULL && g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_CONFLICT)
      && conflict != NULL)
    {
      g_autoptr(PdPcBillingProfile) fresh_values = conflict;

      return report_conflict (push, fresh_values);
    }
  g_clear_pointer (&conflict, pd_pc_billing_profile_free);
  if (updated == NULL && !pd_pc_client_billing_put_sent (result))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("nothing was sent: Partner Center’s bill-to could "
                                             "not be read first (%s)"), error->message);
  if (updated == NULL && pd_bill_to_change_outcome_unknown (error))
    {
      g_autoptr(GError) read_error = NULL;

      /* The change may have been made: what Partner Center holds now says. */
      updated = read_back_applied (push, mask, &read_error);
      if (updated == NULL && read_error != NULL)
        {
          g_autofree char *text = pd_bill_to_change_unknown_text (error, read_error);

          return pd_cli_fail (PD_CLI_EXIT_ERROR, "%s", text);
        }
    }
  if (updated == NULL)
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("Partner Center refused the change: %s"),
                        error->message);
  if (!pd_store_set_pushed_bill_to (store, pd_organization_get_id (push->org), updated->bill_to,
                                    updated->etag, pd_organization_get_bill_to (push->org), mask,
                                    &error))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("Partner Center accepted the new bill-to, but it "
                                             "could not be stored: %s. Your local edits are "
                                             "kept; the next sync brings the new values."),
                        error->message);
  g_print ("%s\n", _("Bill-to updated in Partner Center."));
  if (pd_bill_to_change_may_start_review (mask))
    print_account_status (push);
  return PD_CLI_EXIT_OK;
}

/* The cache belongs to the account signed in (as a sync checks): another partner's Partner
 * Center would be sent this cache's edits of a customer the two may share. */
static gboolean
same_account (Push    *push,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) profile_error = NULL;
  g_autoptr(PdPcCompanyProfile) profile = NULL;
  const char *tenant;

  pd_pc_client_get_organization_profile_async (push->client, NULL, pd_cli_store_result, &result);
  profile = pd_pc_client_get_organization_profile_finish (push->client, pd_cli_wait (&result),
                                                          &profile_error);
  tenant = pd_sync_partner_tenant (push->client, profile, profile_error);
  if (tenant == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&profile_error));
      return FALSE;
    }
  return pd_store_check_partner (pd_cli_get_store (push->cli, NULL), tenant,
                                 profile != NULL ? profile->company_name : NULL,
                                 pd_pc_client_get_base_url (push->client), error);
}

static int
push_with (Push *push)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdPcBillingProfile) fresh = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *name = NULL;
  guint32 mask;

  if (!same_account (push, &error))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("nothing was sent: %s"), error->message);
  fresh = read_fresh (push, &error);
  if (fresh == NULL)
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("could not read Partner Center: %s"),
                        error->message);
  mask = pd_bill_to_change_fields (push->org, fresh->bill_to);
  if (mask == 0)
    {
      /* Partner Center holds every edit already: store its bill-to, which ends them. */
      if (!pd_store_set_read_bill_to (pd_cli_get_store (push->cli, NULL),
                                      pd_organization_get_id (push->org), fresh->bill_to,
                                      fresh->etag, &error))
        return pd_cli_fail_error (error);
      g_print ("%s\n", _("Nothing to send: Partner Center already has these values."));
      return PD_CLI_EXIT_OK;
    }
  changes = pd_bill_to_change_describe (fresh->bill_to, pd_organization_get_bill_to (push->org),
                                        mask);
  name = pd_text_one_line (pd_organization_get_name (push->org));
  g_print (_("These fields of %s change in Partner Center (current value → your value):\n%s"),
           name, changes);
  if (pd_bill_to_change_may_start_review (mask))
    g_print ("%s\n", pd_bill_to_change_review_warning ());
  if (!push->yes && !confirmed ())
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("nothing was sent (confirm, or give --yes)"));
  return send (push, fresh, mask);
}

/* A reseller's way: the change request its indirect provider applies in Partner Center. */
static int
print_change_request (PdOrganization *org)
{
  g_autofree char *text = NULL;

  /* An empty request would ask the provider for nothing, and exit 0 as if it were one. */
  if (pd_bill_to_diff_mask (pd_organization_get_bill_to_partner_center (org),
                            pd_organization_get_bill_to (org)) == 0)
    {
      g_print ("%s\n", _("Nothing to ask for: this customer’s bill-to has no local edits."));
      return PD_CLI_EXIT_OK;
    }
  text = pd_bill_to_change_request_text (org, pd_organization_get_bill_to (org));
  g_printerr ("%s\n", _("Resellers cannot change a customer's billing profile in Partner "
                        "Center: send this change request to your indirect provider."));
  g_print ("%s", text);
  return PD_CLI_EXIT_OK;
}

int
pd_cli_cmd_push_bill_to (PdCli  *cli,
                         char  **argv)
{
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Send without asking"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdAuth) auth = NULL;
  g_autoptr(PdPcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;
  int status = PD_CLI_EXIT_OK;
  Push push = { cli, NULL, NULL, FALSE };

  if (!pd_cli_parse_options ("push-bill-to", entries, argv, 1, 1, &args, &status)
      || pd_cli_refuse_demo_cache (cli, "push-bill-to", &status)
      || (org = pd_cli_find_organization (cli, args[0], &status)) == NULL)
    return status;
  if (pd_organization_get_tenant_id (org) == NULL)
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("“%s” is a manual organization: Partner Center has "
                                             "no bill-to for it"),
                        pd_organization_get_name (org));
  role = pd_cli_dup_partner_role ();
  if (g_strcmp0 (role, "reseller") == 0)
    return print_change_request (org);
  if ((auth = pd_cli_auth_new (&error)) == NULL || !pd_cli_auth_restore (auth, NULL, &error)
      || (client = pd_cli_client_new (auth, &error)) == NULL)
    return pd_cli_fail_error (error);
  push.client = client;
  push.org = org;
  push.yes = yes;
  return push_with (&push);
}
