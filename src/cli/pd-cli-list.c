/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-list.c — `list` (table, csv, json) and `export FILE.csv`. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "core/pd-csv.h"
#include "pd-cli-json.h"
#include "pd-cli-query.h"
#include "pd-cli-table.h"

static const char *
bill_to_state (PdOrganization *org,
               char          **to_free)
{
  const char * const *missing = pd_organization_get_missing_fields (org);
  guint n_missing = missing != NULL ? g_strv_length ((char **) missing) : 0;

  if (n_missing == 0)
    /* Translators: bill-to column of partner-desk-cli list: nothing is missing */
    return _("ok");
  *to_free = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u missing", "%u missing",
                                           n_missing), n_missing);
  return *to_free;
}

static void
add_table_row (PdCliTable     *table,
               PdOrganization *org)
{
  g_autofree char *state_text = NULL;
  const char *source = pd_organization_get_source (org) == PD_ORG_SOURCE_MANUAL
                         /* Translators: source column of partner-desk-cli list: created by hand */
                         ? _("manual") : _("Partner Center");
  const char *cells[] = {
    pd_organization_get_name (org),
    pd_organization_get_domain (org),
    pd_organization_get_country (org),
    pd_organization_get_erp_id (org),
    bill_to_state (org, &state_text),
    pd_organization_get_removed (org) ? _("removed from Partner Center") : source,
    NULL
  };

  pd_cli_table_add_row (table, cells);
}

static int
print_table (GPtrArray *organizations)
{
  const char *headers[] = {
    /* Translators: column titles of partner-desk-cli list */
    _("Name"), _("Domain"), _("Country"), _("ERP ID"), _("Bill-to"), _("Source"), NULL
  };
  g_autoptr(PdCliTable) table = pd_cli_table_new (headers);
  g_autofree char *text = NULL;

  /* Name and domain are the long ones: they give way so that a row stays on one line. */
  pd_cli_table_set_shrinkable (table, 0, 12);
  pd_cli_table_set_shrinkable (table, 1, 10);
  for (guint i = 0; i < organizations->len; i++)
    add_table_row (table, g_ptr_array_index (organizations, i));
  text = pd_cli_table_render (table, pd_cli_terminal_width ());
  g_print ("%s", text);
  return PD_CLI_EXIT_OK;
}

static int
print_json (PdCli     *cli,
            GPtrArray *organizations)
{
  g_autoptr(JsonNode) node =
    pd_cli_json_organizations (organizations, cli->store);

  return pd_cli_print_json (node);
}

/* The CSV writer is file based (atomic rename); writing to a private temporary folder and
 * copying to stdout keeps `list --format csv` identical to `export`, column for column. */
static int
print_csv (GPtrArray *organizations)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("partner-desk-cli-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  gsize length = 0;
  int status = PD_CLI_EXIT_OK;

  if (dir == NULL)
    return pd_cli_fail_error (error);
  path = g_build_filename (dir, "list.csv", NULL);
  file = g_file_new_for_path (path);
  if (!pd_csv_export_organizations (organizations, file, &error)
      || !g_file_get_contents (path, &contents, &length, &error))
    status = pd_cli_fail_error (error);
  else
    pd_cli_print_utf8 (contents, length);
  g_remove (path);
  g_rmdir (dir);
  return status;
}

static gboolean
check_format (const char *format,
              int        *out_status)
{
  if (format == NULL || g_str_equal (format, "table") || g_str_equal (format, "csv")
      || g_str_equal (format, "json"))
    return TRUE;
  *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE,
                             _("unknown format “%s” (one of: table, csv, json)"), format);
  return FALSE;
}

int
pd_cli_cmd_list (PdCli  *cli,
                 char  **argv)
{
  PdCliQueryOptions query = { 0 };
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    PD_CLI_QUERY_ENTRIES (&query),
    { "format", 0, 0, PD_CLI_ARG_TEXT, &format, N_("Output as table, csv or json"),
      N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  int status = PD_CLI_EXIT_OK;

  if (pd_cli_parse_options ("list", entries, argv, 0, 0, &args, &status)
      && check_format (format, &status)
      && (organizations = pd_cli_query_list (cli, &query, &status)) != NULL)
    {
      if (format == NULL || g_str_equal (format, "table"))
        status = print_table (organizations);
      else if (g_str_equal (format, "csv"))
        status = print_csv (organizations);
      else
        status = print_json (cli, organizations);
    }
  pd_cli_query_options_clear (&query);
  return status;
}

int
pd_cli_cmd_export (PdCli  *cli,
                   char  **argv)
{
  PdCliQueryOptions query = { 0 };
  const GOptionEntry entries[] = {
    PD_CLI_QUERY_ENTRIES (&query),
    G_OPTION_ENTRY_NULL
  };
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  int status = PD_CLI_EXIT_OK;

  if (pd_cli_parse_options ("export", entries, argv, 1, 1, &args, &status)
      && (organizations = pd_cli_query_list (cli, &query, &status)) != NULL)
    {
      file = g_file_new_for_commandline_arg (args[0]);
      if (pd_csv_export_organizations (organizations, file, &error))
        g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %'u organization to %s\n",
                              "Exported %'u organizations to %s\n", organizations->len),
                 organizations->len, args[0]);
      else
        status = pd_cli_fail_error (error);
    }
  pd_cli_query_options_clear (&query);
  return status;
}
