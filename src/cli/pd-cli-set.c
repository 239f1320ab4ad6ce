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
#include "core/pd-org-fields.h"
#include "pd-cli.h"

typedef struct {
  char       *key;
  char       *value;
  PdOrgField  field;  /* of key, once checked */
} Assignment;

static void
assignment_free (gpointer data)
{
  Assignment *assignment = data;

  g_free (assignment->key);
  g_free (assignment->value);
  g_free (assignment);
}

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
check_assignment (Assignment *assignment)
{
  PdOrgFieldKind kind;

  /* `set` writes Partner Desk's own fields; the others belong to Partner Center. */
  if (!pd_org_field_from_key (assignment->key, &assignment->field)
      || !pd_org_field_is_local (assignment->field))
    {
      g_autofree char *keys = pd_org_field_dup_local_keys (", ");

      return pd_cli_fail (PD_CLI_EXIT_ERROR, _("unknown key “%s” (one of: %s)"),
                          assignment->key, keys);
    }
  kind = pd_org_field_get_info (assignment->field)->kind;
  if (kind == PD_ORG_FIELD_KIND_CURRENCY && !check_currency (assignment->value))
    return PD_CLI_EXIT_ERROR;
  if (kind == PD_ORG_FIELD_KIND_ENUM && !check_status (assignment->value))
    return PD_CLI_EXIT_ERROR;
  return PD_CLI_EXIT_OK;
}

/* Parses and checks one KEY=VALUE; returns the exit status (0 when fine). */
static int
add_assignment (GPtrArray  *assignments,
                const char *arg)
{
  Assignment *assignment = g_new0 (Assignment, 1);
  const char *value;

  g_ptr_array_add (assignments, assignment);
  if (!pd_cli_split_assignment (arg, &assignment->key, &value))
    return PD_CLI_EXIT_USAGE;
  assignment->value = g_strdup (value);
  for (guint i = 0; i + 1 < assignments->len; i++)
    if (g_str_equal (((Assignment *) g_ptr_array_index (assignments, i))->key, assignment->key))
      return pd_cli_fail (PD_CLI_EXIT_USAGE, _("“%s” is given twice"), assignment->key);
  return check_assignment (assignment);
}

static int
write_assignments (PdStore        *store,
                   PdOrganization *org,
                   GPtrArray      *assignments)
{
  g_autofree const char **keys = g_new0 (const char *, assignments->len + 1);
  g_autofree const char **values = g_new0 (const char *, assignments->len + 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < assignments->len; i++)
    {
      Assignment *assignment = g_ptr_array_index (assignments, i);

      keys[i] = assignment->key;
      values[i] = assignment->value;
    }
  if (!pd_store_set_fields (store, pd_organization_get_id (org), keys, values, assignments->len,
                            &error))
    return pd_cli_fail_error (error);
  return PD_CLI_EXIT_OK;
}

static void
print_result (PdStore        *store,
              PdOrganization *before,
              GPtrArray      *assignments)
{
  g_autoptr(PdOrganization) after = pd_store_get (store, pd_organization_get_id (before), NULL);
  GDateTime *effective = after != NULL ? pd_organization_get_currency_effective (after) : NULL;

  g_print (_("Updated %s.\n"), pd_organization_get_name (before));
  for (guint i = 0; i < assignments->len; i++)
    {
      Assignment *assignment = g_ptr_array_index (assignments, i);
      g_autofree char *date = NULL;

      if (assignment->field != PD_ORG_FIELD_CURRENCY || effective == NULL
          || *assignment->value == '\0')
        continue;
      /* Translators: a g_date_time_format() day, "2026-12-01"; use your language's order and
       * separators */
      /* xgettext:no-c-format */
      date = g_date_time_format (effective, _("%Y-%m-%d"));
      g_print (_("Currency %s takes effect on %s.\n"), assignment->value, date);
    }
}

int
pd_cli_cmd_set (PdCli  *cli,
                char  **argv)
{
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) assignments = g_ptr_array_new_with_free_func (assignment_free);
  g_autoptr(PdOrganization) org = NULL;
  int status = PD_CLI_EXIT_OK;

  if (!pd_cli_parse_options ("set", NULL, argv, 2, -1, &args, &status))
    return status;
  for (guint i = 1; args[i] != NULL && status == PD_CLI_EXIT_OK; i++)
    status = add_assignment (assignments, args[i]);
  if (status != PD_CLI_EXIT_OK)
    return status;
  org = pd_cli_find_organization (cli, args[0], &status);
  if (org == NULL)
    return status;
  status = write_assignments (cli->store, org, assignments);
  if (status == PD_CLI_EXIT_OK)
    print_result (cli->store, org, assignments);
  return status;
}
