/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-set.c — `set ORG KEY=VALUE…`: the Partner Desk owned fields.
 *
 * All or nothing: every key and value is checked here before anything is written, and the
 * store writes them in one transaction (pd_store_set_fields), so that a failure there (a taken
 * ERP ID, a cache another program keeps busy) leaves the organization untouched.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-text.h"
#include "core/pd-org-fields.h"
#include "pd-cli-table.h"
#include "pd-cli.h"

static gboolean
check_currency (char *value)
{
  g_strstrip (value);
  /* ISO codes are upper case; "eur" is an obvious typo of a valid code, not an error. */
  for (char *p = value; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  if (*value == '\0' || pd_currency_code_is_valid (value))
    return TRUE;
  pd_cli_fail (PD_CLI_EXIT_ERROR, _("“%s” is not an ISO 4217 currency code (such as EUR, USD)"),
               value);
  return FALSE;
}

static gboolean
check_status (char *value)
{
  g_autoptr(GString) names = g_string_new (NULL);
  PdOrgStatus status;

  g_strstrip (value);
  for (char *p = value; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  if (pd_org_status_from_string (value, &status))
    return TRUE;
  for (int s = PD_ORG_STATUS_NEW; s <= PD_ORG_STATUS_BLOCKED; s++)
    g_string_append_printf (names, "%s%s", s > 0 ? ", " : "", pd_org_status_to_string (s));
  pd_cli_fail (PD_CLI_EXIT_ERROR, _("“%s” is not a status (one of: %s)"), value, names->str);
  return FALSE;
}

static int
check_assignment (const char *key,
                  char       *value,
                  PdOrgField *out_field)
{
  PdOrgFieldKind kind;

  /* `set` writes Partner Desk's own fields; the others belong to Partner Center. */
  if (!pd_org_field_from_key (key, out_field) || !pd_org_field_is_local (*out_field))
    {
      g_autofree char *keys = pd_org_field_dup_local_keys (", ");

      return pd_cli_fail (PD_CLI_EXIT_ERROR, _("unknown key “%s” (one of: %s)"), key, keys);
    }
  kind = pd_org_field_get_info (*out_field)->kind;
  if (kind == PD_ORG_FIELD_KIND_CURRENCY && !check_currency (value))
    return PD_CLI_EXIT_ERROR;
  if (kind == PD_ORG_FIELD_KIND_ENUM && !check_status (value))
    return PD_CLI_EXIT_ERROR;
  return PD_CLI_EXIT_OK;
}

/* Parses and checks one KEY=VALUE into the parallel arrays keys, values and fields (the key's
 * field), as pd_store_set_fields takes them; returns the exit status (0 when fine). */
static int
add_assignment (GPtrArray  *keys,
                GPtrArray  *values,
                GArray     *fields,
                const char *arg)
{
  char *key;
  const char *value;
  PdOrgField field = 0;
  guint first;
  int status;

  if (!pd_cli_split_assignment (arg, &key, &value))
    return PD_CLI_EXIT_USAGE;
  g_ptr_array_add (keys, key);
  g_ptr_array_add (values, g_strdup (value));
  if (g_ptr_array_find_with_equal_func (keys, key, g_str_equal, &first) && first + 1 < keys->len)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("“%s” is given twice"), key);
  status = check_assignment (key, g_ptr_array_index (values, values->len - 1), &field);
  g_array_append_val (fields, field);
  return status;
}

static int
write_assignments (PdStore        *store,
                   PdOrganization *org,
                   GPtrArray      *keys,
                   GPtrArray      *values)
{
  g_autoptr(GError) error = NULL;

  if (!pd_store_set_fields (store, pd_organization_get_id (org),
                            (const char * const *) keys->pdata,
                            (const char * const *) values->pdata, keys->len, &error))
    return pd_cli_fail_error (error);
  return PD_CLI_EXIT_OK;
}

static void
print_result (PdStore        *store,
              PdOrganization *before,
              GPtrArray      *values,
              GArray         *fields)
{
  g_autoptr(PdOrganization) after = pd_store_get (store, pd_organization_get_id (before), NULL);
  GDateTime *effective = after != NULL ? pd_organization_get_currency_effective (after) : NULL;
  g_autofree char *name = pd_text_one_line (pd_organization_get_name (before));

  g_print (_("Updated %s.\n"), name);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *date = NULL;

      if (g_array_index (fields, PdOrgField, i) != PD_ORG_FIELD_CURRENCY || effective == NULL
          || *value == '\0')
        continue;
      /* Translators: a g_date_time_format() day, "2026-12-01"; use your language's order and
       * separators */
      /* xgettext:no-c-format */
      date = g_date_time_format (effective, _("%Y-%m-%d"));
      g_print (_("Currency %s takes effect on %s.\n"), value, date);
    }
}

int
pd_cli_cmd_set (PdCli  *cli,
                char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (PdOrgField));
  g_autoptr(PdOrganization) org = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("set", NULL, argv, 2, -1, &args, &status))
    return status;
  for (guint i = 1; args[i] != NULL && status == PD_CLI_EXIT_OK; i++)
    status = add_assignment (keys, values, fields, args[i]);
  if (status != PD_CLI_EXIT_OK)
    return status;
  org = pd_cli_find_organization (cli, args[0], &status);
  if (org == NULL)
    return status;
  status = write_assignments (cli->store, org, keys, values);
  if (status == PD_CLI_EXIT_OK)
    print_result (cli->store, org, values, fields);
  return status;
}
