/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-list.c — `list` (table, csv, json) and `export FILE.csv`. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "core/pd-csv.h"
#include "pd-cli-json.h"
#include "pd-cli-query.h"
#include "pd-cli-session.h"
#include "pd-cli-table.h"

/* The bill-to column: its state, and that the latest read failed when what is shown is kept
 * from an earlier one (the reason is in show, JSON and CSV: too long for a column). */
static const char *
bill_to_state (PdOrganization *org,
               char          **to_free)
{
  const char * const *missing = pd_organization_get_missing_fields (org);
  guint n_missing = missing != NULL ? g_strv_length ((char **) missing) : 0;
  g_autofree char *counted = NULL;
  const char *state;

  switch (pd_organization_get_bill_to_state (org))
    {
    case PD_BILL_TO_STATE_UNREADABLE:
      /* Translators: bill-to column of partner-desk-cli list: Partner Center refused or failed */
      return _("not readable");
    case PD_BILL_TO_STATE_NOT_READ:
      /* Translators: bill-to column of partner-desk-cli list: listed, its bill-to not read yet */
      return _("not read yet");
    case PD_BILL_TO_STATE_COMPLETE:
    case PD_BILL_TO_STATE_INCOMPLETE:
    default:
      break;
    }
  if (n_missing == 0)
    /* Translators: bill-to column of partner-desk-cli list: nothing is missing */
    state = _("ok");
  else
    state = counted = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u missing", "%u missing",
                                                    n_missing), n_missing);
  if (!pd_organization_get_bill_to_stale (org))
    {
      *to_free = g_steal_pointer (&counted);
      return state;
    }
  /* Translators: bill-to column of partner-desk-cli list: the state as last read ("ok",
   * "2 missing"), then that Partner Center's latest read of the bill-to failed */
  *to_free = g_strdup_printf (_("%s; latest read failed"), state);
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

static PdCliTable *
new_table (void)
{
  const char *headers[] = {
    /* Translators: column titles of partner-desk-cli list */
    _("Name"), _("Domain"), _("Country"), _("ERP ID"), _("Bill-to"), _("Source"), NULL
  };
  PdCliTable *table = pd_cli_table_new (headers);

  /* Name and domain are the long ones: they give way so that a row stays on one line. */
  pd_cli_table_set_shrinkable (table, 0, 12);
  pd_cli_table_set_shrinkable (table, 1, 10);
  return table;
}

/* The table's columns are sized to its header and this many first rows; the rest are written
 * as they are read (a million customers' table held 1.7 GB before). */
#define TABLE_SIZED_BY_ROWS 1000

/* The table, JSON or CSV written to stdout as it is read, a buffer at a time: a cache of a
 * million is never held whole, neither as organizations nor as text. */
typedef struct {
  PdStore         *store;     /* JSON: for currencyUntilThen; NULL for CSV and table */
  PdCliTable      *table;     /* the table's; NULL for JSON and CSV */
  guint            width;     /* the table's: the terminal's, or 0 */
  GString         *buffer;
  PdCliJsonWriter *json;      /* JSON's, writing into buffer; NULL for CSV and table */
  gboolean         for_terminal;  /* the text is made safe to print (writer_flush) */
  guint            n_rows;
  GError          *error;
} Writer;

#define WRITER_FLUSH_SIZE (64 * 1024)

static gboolean
writer_flush (Writer *writer)
{
  /* Partner Center's data reach a terminal without control characters: the table always
   * (it is text for one), CSV when it is printed on one (its format has no escapes; in a file
   * it keeps them, and only formula-like cells are escaped, as in export); JSON escapes them
   * itself (PdCliJsonWriter). */
  g_autofree char *safe = writer->for_terminal
                            ? pd_cli_text_for_terminal (writer->buffer->str, writer->buffer->len)
                            : NULL;
  const char *text = safe != NULL ? safe : writer->buffer->str;
  gsize length = safe != NULL ? strlen (safe) : writer->buffer->len;

  if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      int saved = errno;

      g_set_error_literal (&writer->error, G_IO_ERROR, g_io_error_from_errno (saved),
                           g_strerror (saved));
      return FALSE;
    }
  g_string_truncate (writer->buffer, 0);
  return TRUE;
}

static gboolean
write_organization (PdOrganization *org,
                    gpointer        data)
{
  Writer *writer = data;

  if (writer->table != NULL)
    {
      add_table_row (writer->table, org);
      if (writer->n_rows + 1 >= TABLE_SIZED_BY_ROWS)
        pd_cli_table_append_rows (writer->table, writer->width, writer->buffer);
    }
  else if (writer->json != NULL)
    pd_cli_json_write_organization (writer->json, org, writer->store);
  else
    pd_csv_append_organization (writer->buffer, org);
  writer->n_rows++;
  return writer->buffer->len < WRITER_FLUSH_SIZE || writer_flush (writer);
}

/* Writes the header, the organizations and the end; FALSE with the error printed and
 * *out_status set on failure, after what was read so far was written. */
static gboolean
write_all (Writer             *writer,
           PdStore            *store,
           const PdStoreQuery *query,
           int                *out_status)
{
  g_autoptr(GError) error = NULL;
  gboolean json = writer->store != NULL;

  writer->buffer = g_string_sized_new (WRITER_FLUSH_SIZE + 4096);
  if (json)
    {
      writer->json = pd_cli_json_writer_new (writer->buffer);
      pd_cli_json_writer_begin_array (writer->json);
    }
  else if (writer->table == NULL)
    pd_csv_append_header (writer->buffer);
  if (pd_store_foreach (store, query, write_organization, writer, &error) && writer->error == NULL)
    {
      if (writer->table != NULL)
        pd_cli_table_append_rows (writer->table, writer->width, writer->buffer);
      else if (json)
        {
          pd_cli_json_writer_end_array (writer->json);
          g_string_append_c (writer->buffer, '\n');
        }
    }
  if (writer->error == NULL)
    writer_flush (writer);
  g_clear_pointer (&writer->json, pd_cli_json_writer_free);
  g_string_free (writer->buffer, TRUE);
  if (error == NULL)
    error = g_steal_pointer (&writer->error);
  g_clear_error (&writer->error);
  if (error != NULL)
    *out_status = pd_cli_fail_error (error);
  return error == NULL;
}

static int
print_streamed (PdStore            *store,
                const PdStoreQuery *query,
                const char         *format)
{
  g_autoptr(PdCliTable) table = g_str_equal (format, "table") ? new_table () : NULL;
  gboolean csv = g_str_equal (format, "csv");
  Writer writer = { g_str_equal (format, "json") ? store : NULL, table,
                    table != NULL ? pd_cli_terminal_width () : 0, NULL, NULL,
                    table != NULL || (csv && isatty (STDOUT_FILENO)), 0, NULL };
  int status = PD_CLI_EXIT_OK;

  write_all (&writer, store, query, &status);
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

static int
list_as (PdCli             *cli,
         PdCliQueryOptions *query,
         const char        *format)
{
  PdStoreQuery store_query;
  PdStore *store;
  int status = PD_CLI_EXIT_OK;

  if ((store = pd_cli_query_prepare (cli, query, &store_query, &status)) != NULL)
    status = print_streamed (store, &store_query, format != NULL ? format : "table");
  return status;
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
  int status = PD_CLI_EXIT_OK;

  if (pd_cli_parse_options ("list", entries, argv, 0, 0, &args, &status)
      && check_format (format, &status))
    status = list_as (cli, &query, format);
  pd_cli_query_options_clear (&query);
  return status;
}

typedef struct {
  PdCsvFile *csv;
  guint      n_read;
} ExportRows;

/* Adds org to the export. The read runs outside a main loop: every hundred rows the signal
 * watch is let see a Ctrl+C, which cancels the export (pd_csv_file_add then stops it). */
static gboolean
export_row (PdOrganization *org,
            gpointer        data)
{
  ExportRows *rows = data;

  if (++rows->n_read % 100 == 0)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  return pd_csv_file_add (org, rows->csv);
}

/* Writes the export as it is read (PdCsvFile: the previous FILE stays until it is complete).
 * Ctrl+C or SIGTERM stop it cleanly: killed, it left part of a new file under FILE, which
 * looks like a whole export. */
static int
export_to (PdStore            *store,
           const PdStoreQuery *query,
           const char         *arg)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  PdCliSignalWatch watch = { { 0 } };
  ExportRows rows = { NULL, 0 };
  guint n_rows = 0;
  gboolean ok;

  /* Watched from before the file is created: a signal never finds it there unwatched. */
  pd_cli_signal_watch_start (&watch, cancellable);
  if ((rows.csv = pd_csv_file_create (file, cancellable, &error)) == NULL)
    {
      pd_cli_signal_watch_stop (&watch);
      return pd_cli_fail_error (error);
    }
  ok = pd_store_foreach (store, query, export_row, &rows, &error);
  pd_cli_signal_watch_stop (&watch);
  if (!ok)
    pd_csv_file_abandon (rows.csv);
  else
    ok = pd_csv_file_commit (rows.csv, &n_rows, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return pd_cli_fail (PD_CLI_EXIT_ERROR, _("export cancelled: %s was not changed"), arg);
  if (!ok)
    return pd_cli_fail_error (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %'u organization to %s\n",
                        "Exported %'u organizations to %s\n", n_rows), n_rows, arg);
  return PD_CLI_EXIT_OK;
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
  PdStoreQuery store_query;
  PdStore *store;
  int status = PD_CLI_EXIT_OK;

  if (pd_cli_parse_options ("export", entries, argv, 1, 1, &args, &status)
      && (store = pd_cli_query_prepare (cli, &query, &store_query, &status)) != NULL)
    status = export_to (store, &store_query, args[0]);
  pd_cli_query_options_clear (&query);
  return status;
}
