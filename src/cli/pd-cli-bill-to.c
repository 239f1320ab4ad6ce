/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-bill-to.c — `edit-bill-to ORG KEY=VALUE…` and `revert-bill-to ORG [KEY…]`.
 *
 * A local bill-to edit is an override that never reaches Partner Center by itself: the
 * command says so every time, because believing otherwise is the mistake this tool exists
 * to prevent.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-text.h"
#include "pd-cli-table.h"
#include "pd-cli.h"

static int
unknown_field (const char *key)
{
  g_autoptr(GString) paths = g_string_new (NULL);

  for (int field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    g_string_append_printf (paths, "%s%s", field > 0 ? ", " : "", pd_bill_to_field_path (field));
  return pd_cli_fail (PD_CLI_EXIT_ERROR, _("unknown bill-to key “%s” (one of: %s)"),
                      key, paths->str);
}

static int
check_value (PdBillToField  field,
             char          *value)
{
  return field == PD_BILL_TO_COUNTRY ? pd_cli_check_country (value) : PD_CLI_EXIT_OK;
}

/* Fills values[field] from the KEY=VALUE arguments; returns the exit status. */
static int
parse_edits (char **assignments,
             char **values)
{
  for (guint i = 0; assignments[i] != NULL; i++)
    {
      g_autofree char *key = NULL;
      const char *value;
      PdBillToField field;

      if (!pd_cli_split_assignment (assignments[i], &key, &value))
        return PD_CLI_EXIT_USAGE;
      if (!pd_bill_to_field_from_path (key, &field))
        return unknown_field (key);
      if (values[field] != NULL)
        return pd_cli_fail (PD_CLI_EXIT_USAGE, _("“%s” is given twice"), key);
      values[field] = g_strdup (value);
      if (check_value (field, values[field]) != PD_CLI_EXIT_OK)
        return PD_CLI_EXIT_ERROR;
    }
  return PD_CLI_EXIT_OK;
}

/* In one transaction: a failure half way leaves no edit of the call behind. */
static int
write_edits (PdStore         *store,
             PdOrganization  *org,
             char           **values)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_bill_to_fields (store, pd_organization_get_id (org),
                                    (const char * const *) values, &error))
    return pd_cli_fail_error (error);
  return PD_CLI_EXIT_OK;
}

static void
print_warning (PdOrganization *org)
{
  if (pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL)
    return;
  /* stderr: a warning must not vanish when a script redirects the output. */
  g_printerr ("%s\n", _("Warning: this change stays in Partner Desk. It does not reach Partner "
                        "Center, and it is replaced when Partner Center changes this "
                        "customer's bill-to. To have Microsoft use it, correct the bill-to in "
                        "Partner Center (resellers: ask your indirect provider)."));
}

int
pd_cli_cmd_edit_bill_to (PdCli  *cli,
                         char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(PdOrganization) after = NULL;
  g_autoptr(GError) error = NULL;
  char *values[PD_BILL_TO_N_FIELDS] = { NULL };
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("edit-bill-to", NULL, argv, 2, -1, &args, &status))
    return status;
  status = parse_edits (args + 1, values);
  if (status == PD_CLI_EXIT_OK)
    org = pd_cli_find_organization (cli, args[0], &status);
  if (org != NULL)
    status = write_edits (cli->store, org, values);
  for (int field = 0; field < PD_BILL_TO_N_FIELDS; field++)
    g_free (values[field]);
  if (status != PD_CLI_EXIT_OK)
    return status;

  print_warning (org);
  after = pd_store_get (cli->store, pd_organization_get_id (org), &error);
  if (after == NULL)
    return pd_cli_fail_error (error);
  pd_cli_print_missing_fields (cli->store, after);
  return PD_CLI_EXIT_OK;
}

static int
parse_fields (char   **keys,
              GArray  *fields)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      PdBillToField field;

      if (!pd_bill_to_field_from_path (keys[i], &field))
        return unknown_field (keys[i]);
      g_array_append_val (fields, field);
    }
  return PD_CLI_EXIT_OK;
}

static gboolean
has_override (PdOrganization *org,
              GArray         *fields)
{
  if (fields->len == 0)
    return pd_organization_get_has_local_edits (org);
  for (guint i = 0; i < fields->len; i++)
    if (pd_organization_is_field_overridden (org, g_array_index (fields, PdBillToField, i)))
      return TRUE;
  return FALSE;
}

int
pd_cli_cmd_revert_bill_to (PdCli  *cli,
                           char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (PdBillToField));
  g_autoptr(PdOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("revert-bill-to", NULL, argv, 1, -1, &args, &status))
    return status;
  status = parse_fields (args + 1, fields);
  if (status != PD_CLI_EXIT_OK)
    return status;
  org = pd_cli_find_organization (cli, args[0], &status);
  if (org == NULL)
    return status;
  name = pd_text_one_line (pd_organization_get_name (org));
  /* Its values are its only bill-to: a revert would delete them, "back" to nothing. */
  if (!pd_organization_has_partner_center (org))
    return pd_cli_fail (PD_CLI_EXIT_ERROR,
                        _("%s has no Microsoft tenant: its bill-to is its own, with no Partner "
                          "Center values to go back to. Change a field with edit-bill-to."),
                        name);
  if (!has_override (org, fields))
    {
      g_print (_("%s has no local bill-to edits to revert.\n"), name);
      return PD_CLI_EXIT_OK;
    }
  if (!pd_store_revert_bill_to (cli->store, pd_organization_get_id (org),
                                (const PdBillToField *) fields->data, fields->len, &error))
    return pd_cli_fail_error (error);
  g_print (_("%s: bill-to back to the Partner Center values.\n"), name);
  return PD_CLI_EXIT_OK;
}
