/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-show.c — `show ORG [--format text|json]`. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-text.h"
#include "pd-cli-json.h"
#include "pd-cli-table.h"
#include "pd-cli.h"

/* Labels are translated, so their widths differ: pad by display width, not by bytes, to beyond
 * the longest label of the translations (Swedish "Kontaktpersonens efternamn", 26 characters):
 * at 22, labels in four languages ran one space from their values, out of line with the rest
 * (the test /cli/show-aligned checks each language). */
#define LABEL_WIDTH 27

static void
print_field (const char *label,
             const char *value)
{
  guint width = pd_cli_text_width (label);
  g_autofree char *line = pd_text_one_line (value != NULL ? value : "—");

  g_print ("  %s", label);
  for (; width < LABEL_WIDTH; width++)
    g_print (" ");
  g_print (" %s\n", line);
}

static void
print_list_field (const char         *label,
                  const char * const *values)
{
  g_autofree char *joined = values != NULL && values[0] != NULL
                              ? g_strjoinv (", ", (char **) values) : NULL;

  print_field (label, joined);
}

static void
print_currency (PdOrganization *org)
{
  const char *currency = pd_organization_get_currency (org);
  GDateTime *effective = pd_organization_get_currency_effective (org);
  /* Translators: a g_date_time_format() day, "2026-12-01"; use your language's order and
   * separators */
  /* xgettext:no-c-format */
  g_autofree char *date = effective != NULL ? g_date_time_format (effective, _("%Y-%m-%d")) : NULL;
  g_autofree char *text = NULL;

  if (currency != NULL && date != NULL)
    /* Translators: a currency code and the date its use starts, "EUR (from 2026-12-01)" */
    text = g_strdup_printf (_("%s (from %s)"), currency, date);
  print_field (_("Currency"), text != NULL ? text : currency);
}

/* A manual organization linked to a tenant that no sync has brought yet stays manual: it has a
 * tenant all the same. */
static const char *
source_text (PdOrganization *org)
{
  if (pd_organization_get_source (org) != PD_ORG_SOURCE_MANUAL)
    return _("Partner Center");
  if (pd_organization_get_tenant_id (org) != NULL)
    return _("manual (linked to its Microsoft tenant, not synced yet)");
  return _("manual (no Microsoft tenant linked)");
}

/* "2026-12-06 17:44" in local time, or NULL for no time. */
static char *
dup_local_minute (GDateTime *time)
{
  g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;

  /* Translators: a date and time in the CLI's text (strftime format), as elsewhere in it */
  return local != NULL ? g_date_time_format (local, _("%Y-%m-%d %H:%M")) : NULL;
}

static void
print_identity (PdOrganization *org)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, pd_organization_get_id (org));
  const char *country = pd_organization_get_country (org);
  g_autofree char *country_text = country != NULL
                                    ? g_strdup_printf ("%s (%s)", country,
                                                       pd_country_name (country))
                                    : NULL;
  GDateTime *synced = pd_organization_get_last_synced_at (org);
  g_autofree char *synced_text = dup_local_minute (synced);
  g_autofree char *name = pd_text_one_line (pd_organization_get_name (org));

  g_print ("%s\n", name);
  print_field (_("Local id"), id);
  print_field (_("Tenant ID"), pd_organization_get_tenant_id (org));
  print_field (_("Source"), source_text (org));
  print_field (_("Domain"), pd_organization_get_domain (org));
  print_field (_("Country"), country_text);
  print_field (_("Reseller"), pd_reseller_label (pd_organization_get_reseller_id (org),
                                                 pd_organization_get_reseller_name (org)));
  print_field (_("Last synced"), synced_text);
  if (pd_organization_get_removed (org))
    print_field (_("Partner Center"), _("removed from Partner Center (local data kept)"));
}

static void
print_local_fields (PdOrganization *org)
{
  g_print ("\n%s\n", _("Partner Desk fields"));
  print_field (_("Status"), pd_org_status_label (pd_organization_get_status (org)));
  print_field (_("ERP ID"), pd_organization_get_erp_id (org));
  print_field (_("Registration number"), pd_organization_get_registration_number (org));
  print_list_field (_("Segments"), pd_organization_get_segments (org));
  print_currency (org);
  print_list_field (_("Login options"), pd_organization_get_login_options (org));
  print_field (_("Account manager"), pd_organization_get_account_manager (org));
  print_field (_("Notes"), pd_organization_get_notes (org));
}

static void
print_bill_to_heading (void)
{
  /* Translators: the heading of the bill-to section of "partner-desk-cli show" (the list's
   * narrow column has a title of its own) */
  g_print ("\n%s\n", C_("show heading", "Bill-to"));
}

/* Nothing is known of the bill-to: Partner Center's was never read, or could not be, and no
 * value was typed over it. */
static gboolean
bill_to_unknown (PdOrganization *org)
{
  return (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_NOT_READ
          || pd_organization_get_bill_to_unreadable (org))
         && !pd_organization_get_has_local_edits (org);
}

static void
print_bill_to (PdOrganization *org)
{
  const PdBillTo *effective = pd_organization_get_bill_to (org);
  const PdBillTo *synced = pd_organization_get_bill_to_partner_center (org);

  print_bill_to_heading ();
  for (int field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    {
      const char *value = pd_bill_to_get (effective, field);
      g_autofree char *text = NULL;

      /* A local edit shows the Partner Center value beside it: the user must never mistake
       * it for what Microsoft has. A manual organization without a tenant has none. */
      if (pd_organization_is_field_overridden (org, field)
          && pd_organization_has_partner_center (org))
        text = g_strdup_printf (_("%s   [local edit; Partner Center: %s]"),
                                value != NULL ? value : "—",
                                pd_bill_to_get (synced, field) != NULL
                                  ? pd_bill_to_get (synced, field) : "—");
      print_field (pd_bill_to_field_label (field), text != NULL ? text : value);
    }
}

static void
print_problems (GPtrArray *missing)
{
  for (guint i = 0; i < missing->len; i++)
    {
      const PdMissingField *problem = g_ptr_array_index (missing, i);

      g_print ("  %s (%s): %s\n", pd_missing_field_label (problem->field),
               pd_missing_field_path (problem->field), problem->reason);
    }
}

/* Order readiness is what Microsoft checks: Partner Center's bill-to, of a customer Partner
 * Center still has, whose account its verification does not block. A local fill is said to be
 * one, never taken for a fixed bill-to. */
void
pd_cli_print_missing_fields (PdStore        *store,
                             PdOrganization *org)
{
  PdCountryRules *rules = pd_store_get_country_rules (store);
  const char *registration = pd_organization_get_registration_number (org);
  g_autoptr(GPtrArray) ordering = pd_missing_fields_for_orders (org, rules);
  g_autoptr(GPtrArray) shown = pd_missing_fields_for (pd_organization_get_bill_to (org),
                                                      registration, rules);
  g_autofree char *labels = pd_missing_fields_join_labels (ordering);
  const char *blocker;
  const char *note;

  /* Nothing is known of a bill-to never read, or not readable: no verdict on what Partner
   * Center lacks (edit-bill-to comes here without show's read-state gate). The editor's words. */
  if (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_NOT_READ)
    {
      g_print ("%s.\n", _("Filled in locally — the bill-to has not been read from Partner "
                          "Center yet, so whether Microsoft accepts orders is not known"));
      return;
    }
  if (pd_organization_get_bill_to_unreadable (org))
    {
      g_print ("%s.\n", _("Filled in locally — Partner Center’s bill-to could not be read, so "
                          "whether Microsoft accepts orders is not known"));
      return;
    }
  if (ordering->len == 0 && pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
    g_print ("%s\n", _("Bill-to complete."));
  else if (ordering->len == 0 && (blocker = pd_organization_get_order_blocker (org)) != NULL)
    g_print ("%s\n", blocker);
  else if (ordering->len == 0 && pd_organization_get_bill_to_stale (org))
    /* Not "orders can be placed": that was so at the last read, not known now. */
    g_print ("%s\n", _("Bill-to complete in Partner Center as last read."));
  else if (ordering->len == 0)
    g_print ("%s\n", _("Bill-to complete in Partner Center: orders can be placed."));
  /* The latest read failed: what Partner Center lacked then, not a verdict on now. */
  else if (shown->len == 0 && pd_organization_get_bill_to_stale (org))
    g_print (_("Filled in locally — Partner Center lacked %s as last read; the latest read "
               "failed, so whether Microsoft accepts orders now is not known.\n"), labels);
  else if ((note = pd_missing_fields_local_registration_note (org, ordering)) != NULL)
    g_print ("%s.\n", note);
  else if (shown->len == 0)
    g_print (_("Filled in locally — Partner Center still lacks %s, so orders are refused until "
               "Partner Center is updated (push the bill-to from the app, or ask your indirect "
               "provider to change it).\n"), labels);
  else
    {
      /* A manual organization's bill-to is its own: Partner Center has none to fix, and what
       * is typed here does not reach it either. */
      if (pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
        g_print ("%s\n", _("Bill-to incomplete; it lacks:"));
      else
        g_print ("%s\n", pd_organization_get_bill_to_stale (org)
                           ? _("Bill-to incomplete as last read (the latest read failed, so "
                               "whether it is now is not known); Partner Center lacked:")
                           : _("Bill-to incomplete: Microsoft will not accept orders until "
                               "these are fixed in Partner Center:"));
      print_problems (ordering);
    }
  if (ordering->len == 0 && shown->len > 0)
    {
      g_print ("%s\n", _("With your local edits the bill-to would lack:"));
      print_problems (shown);
    }
}

/* A bill-to that could not be read is said so, with the reason; one kept from an earlier read
 * says when that was. Returns TRUE when nothing is known of the bill-to. */
static gboolean
print_read_state (PdOrganization *org)
{
  g_autofree char *reason = pd_text_one_line (pd_organization_get_bill_to_read_error (org));
  g_autofree char *when = dup_local_minute (pd_organization_get_bill_to_read_at (org));

  if (pd_organization_get_bill_to_state (org) == PD_BILL_TO_STATE_NOT_READ)
    {
      g_print (_("Bill-to not read yet: Partner Center listed this customer, and a sync reads "
                 "its bill-to after the list.\n"));
      return TRUE;
    }
  if (pd_organization_get_bill_to_unreadable (org))
    {
      g_print (_("Bill-to not readable: %s. The next sync reads it again.\n"), reason);
      return TRUE;
    }
  if (!pd_organization_get_bill_to_stale (org))
    return FALSE;
  if (when != NULL)
    g_print (_("The latest read of the bill-to failed: %s. Shown: the bill-to as last read on %s; "
               "the next sync reads it again.\n"), reason, when);
  else
    g_print (_("The latest read of the bill-to failed: %s. Shown: the bill-to as last read; the "
               "next sync reads it again.\n"), reason);
  return FALSE;
}

/* Microsoft's account verification, when Partner Desk has asked (a push asks it), with when:
 * it decides whether new purchases are accepted, and JSON has it as accountStatus. */
static void
print_account_status (PdOrganization *org)
{
  g_autofree char *when = dup_local_minute (pd_organization_get_account_checked_at (org));

  if (when == NULL)
    return;
  /* Translators: when it was checked ("2026-12-06 17:44"), then the account status in words */
  g_print (_("Account verification (checked %s): %s\n"), when,
           pd_account_status_describe (pd_organization_get_account_status (org)));
}

static int
show_text (PdCli          *cli,
           PdOrganization *org)
{
  print_identity (org);
  print_local_fields (org);
  if (bill_to_unknown (org))
    {
      /* A column of "—" would read as a bill-to without values: nothing of it is known. */
      print_bill_to_heading ();
      print_read_state (org);
    }
  else
    {
      print_bill_to (org);
      g_print ("\n");
      if (!print_read_state (org))
        pd_cli_print_missing_fields (cli->store, org);
    }
  print_account_status (org);
  return PD_CLI_EXIT_OK;
}

static int
show_json (PdCli          *cli,
           PdOrganization *org)
{
  g_autofree char *document = pd_cli_json_dup_organization (org, cli->store);

  return pd_cli_print_json (document);
}

int
pd_cli_cmd_show (PdCli  *cli,
                 char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(PdOrganization) org = NULL;
  int status = PD_CLI_EXIT_OK;
  gboolean json;

  if (!pd_cli_parse_text_json_options ("show", argv, 1, 1, &args, &json, &status))
    return status;
  org = pd_cli_find_organization (cli, args[0], &status);
  if (org == NULL)
    return status;
  if (json)
    return show_json (cli, org);
  return show_text (cli, org);
}
