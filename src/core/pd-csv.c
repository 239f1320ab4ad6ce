/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-csv.c — RFC 4180 CSV writing that spreadsheets cannot turn into formulas. */
#include "config.h"

#include <string.h>

#include "pd-csv-private.h"
#include "pd-organization.h"

/* A cell a spreadsheet would evaluate: a formula sign first (even after blanks), or a leading
 * tab / CR, which some spreadsheets strip before looking for the sign (OWASP CSV injection). */
static gboolean
needs_formula_escape (const char *value)
{
  const char *p = value;

  if (*p == '\t' || *p == '\r')
    return TRUE;
  while (*p == ' ')
    p++;
  return *p != '\0' && strchr ("=+-@", *p) != NULL;
}

static gboolean
needs_quotes (const char *value)
{
  gsize len = strlen (value);

  return strpbrk (value, ",\"\r\n") != NULL
         || (len > 0 && (value[0] == ' ' || value[len - 1] == ' '));
}

void
pd_csv_append_cell (GString    *out,
                    const char *value)
{
  gboolean quote;

  g_return_if_fail (out != NULL);

  if (value == NULL || *value == '\0')
    return;
  quote = needs_quotes (value);
  if (quote)
    g_string_append_c (out, '"');
  if (needs_formula_escape (value))
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

void
pd_csv_append_row (GString            *out,
                   const char * const *cells,
                   gsize               n_cells)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (cells != NULL || n_cells == 0);

  for (gsize i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      pd_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

/* Column names are the JSON keys of design.md §4 (bill-to fields prefixed "billTo."), so a
 * script reads the export the same way as `list --format json`; they are not translated. */
static const char * const leading_columns[] = {
  "id", "tenantId", "source", "name", "domain", "country", "erpId", "registrationNumber",
  "segments", "currency", "status", "accountManager",
};
static const char * const trailing_columns[] = {
  "billToComplete", "missingFields", "localBillToFields", "removedFromPartnerCenter",
  "resellerId", "resellerName", "lastSyncedAt", "billToState", "billToReadError", "billToReadAt",
};

#define N_COLUMNS (G_N_ELEMENTS (leading_columns) + PD_BILL_TO_N_FIELDS \
                   + G_N_ELEMENTS (trailing_columns))

void
pd_csv_append_header (GString *out)
{
  char *bill_to_names[PD_BILL_TO_N_FIELDS];
  const char *cells[N_COLUMNS];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (leading_columns); i++)
    cells[n++] = leading_columns[i];
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    cells[n++] = bill_to_names[i] = g_strconcat ("billTo.", pd_bill_to_field_path (i), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (trailing_columns); i++)
    cells[n++] = trailing_columns[i];
  pd_csv_append_row (out, cells, n);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    g_free (bill_to_names[i]);
}

static char *
format_date_time (GDateTime *when)
{
  return when != NULL ? g_date_time_format_iso8601 (when) : NULL;
}

/* Owned strings of one row; cells[] points into them or into the organization. */
typedef struct {
  const char *cells[N_COLUMNS];
  char       *owned[8];       /* fill_row() owns 6 strings */
  guint       n_owned;
} Row;

static const char *
own (Row  *row,
     char *text)
{
  row->owned[row->n_owned++] = text;
  return text;
}

static const char *
join_list (Row                *row,
           const char * const *list)
{
  return own (row, g_strjoinv ("; ", (char **) list));
}

static void
fill_row (Row            *row,
          PdOrganization *org)
{
  const PdBillTo *bill_to = pd_organization_get_bill_to (org);
  g_auto(GStrv) local_fields = pd_organization_dup_local_bill_to_fields (org);
  guint n = 0;

  row->cells[n++] = own (row, g_strdup_printf ("%" G_GINT64_FORMAT, pd_organization_get_id (org)));
  row->cells[n++] = pd_organization_get_tenant_id (org);
  row->cells[n++] = pd_org_source_to_string (pd_organization_get_source (org));
  row->cells[n++] = pd_organization_get_name (org);
  row->cells[n++] = pd_organization_get_domain (org);
  row->cells[n++] = pd_organization_get_country (org);
  row->cells[n++] = pd_organization_get_erp_id (org);
  row->cells[n++] = pd_organization_get_registration_number (org);
  row->cells[n++] = join_list (row, pd_organization_get_segments (org));
  row->cells[n++] = pd_organization_get_currency (org);
  row->cells[n++] = pd_org_status_to_string (pd_organization_get_status (org));
  row->cells[n++] = pd_organization_get_account_manager (org);
  for (guint i = 0; i < PD_BILL_TO_N_FIELDS; i++)
    row->cells[n++] = pd_bill_to_get (bill_to, i);
  row->cells[n++] = pd_organization_get_bill_to_complete (org) ? "true" : "false";
  row->cells[n++] = join_list (row, pd_organization_get_missing_fields (org));
  row->cells[n++] = join_list (row, (const char * const *) local_fields);
  row->cells[n++] = pd_organization_get_removed (org) ? "true" : "false";
  row->cells[n++] = pd_organization_get_reseller_id (org);
  row->cells[n++] = pd_organization_get_reseller_name (org);
  row->cells[n++] = own (row, format_date_time (pd_organization_get_last_synced_at (org)));
  row->cells[n++] = pd_bill_to_state_to_string (pd_organization_get_bill_to_state (org));
  row->cells[n++] = pd_organization_get_bill_to_read_error (org);
  row->cells[n++] = own (row, format_date_time (pd_organization_get_bill_to_read_at (org)));
  g_warn_if_fail (n == N_COLUMNS);
}

void
pd_csv_append_organization (GString        *out,
                            PdOrganization *org)
{
  Row row = { { NULL } };

  fill_row (&row, org);
  pd_csv_append_row (out, row.cells, N_COLUMNS);
  for (guint i = 0; i < row.n_owned; i++)
    g_free (row.owned[i]);
}

/* Written a buffer at a time: an export of a million is never held whole. */
#define FLUSH_SIZE (64 * 1024)

struct _PdCsvFile
{
  GFile             *file;
  gboolean           existed;      /* the file was there before: g_file_replace wrote beside it */
  GFileOutputStream *out;
  GCancellable      *cancellable;  /* the caller's: stops adding */
  GCancellable      *abandon;      /* ours: closing with it cancelled keeps the previous file */
  GString           *buffer;
  guint              n_rows;
  GError            *error;        /* the first failure; adding stops there */
};

static void
csv_file_free (PdCsvFile *self)
{
  g_clear_object (&self->out);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->abandon);
  g_string_free (self->buffer, TRUE);
  g_clear_error (&self->error);
  g_free (self);
}

PdCsvFile *
pd_csv_file_create (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  PdCsvFile *self;
  gboolean existed;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Asked before g_file_replace creates it: a file that appears in between (another program
   * writing the same name) would be taken for ours and removed by pd_csv_file_abandon. */
  existed = g_file_query_exists (file, NULL);
  /* Over an existing file, GLib writes a temporary file renamed over it when complete: a full
   * disk or a crash never destroys the previous export. A new file is written in place: a
   * crash can leave part of it, which pd_csv_file_abandon removes on a failure. The export
   * holds customers' billing data: readable by the user only. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (out == NULL)
    return NULL;
  self = g_new0 (PdCsvFile, 1);
  self->file = g_object_ref (file);
  self->existed = existed;
  self->out = g_steal_pointer (&out);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->abandon = g_cancellable_new ();
  self->buffer = g_string_sized_new (FLUSH_SIZE + 4096);
  pd_csv_append_header (self->buffer);
  return self;
}

static gboolean
flush (PdCsvFile *self)
{
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (self->out), self->buffer->str,
                                  self->buffer->len, NULL, self->cancellable, &self->error))
    return FALSE;
  g_string_truncate (self->buffer, 0);
  return TRUE;
}

gboolean
pd_csv_file_add (PdOrganization *org,
                 gpointer        csv_file)
{
  PdCsvFile *self = csv_file;

  g_return_val_if_fail (PD_IS_ORGANIZATION (org), FALSE);
  if (self->error != NULL || g_cancellable_set_error_if_cancelled (self->cancellable, &self->error))
    return FALSE;
  pd_csv_append_organization (self->buffer, org);
  self->n_rows++;
  return self->buffer->len < FLUSH_SIZE || flush (self);
}

void
pd_csv_file_abandon (PdCsvFile *self)
{
  g_return_if_fail (self != NULL);

  /* Closed cancelled, the temporary file is dropped instead of renamed; without a previous
   * file g_file_replace wrote in place, and what there is of it goes. */
  g_cancellable_cancel (self->abandon);
  g_output_stream_close (G_OUTPUT_STREAM (self->out), self->abandon, NULL);
  if (!self->existed)
    g_file_delete (self->file, NULL, NULL);
  csv_file_free (self);
}

gboolean
pd_csv_file_commit (PdCsvFile  *self,
                    guint      *out_n_rows,
                    GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* Closed without the caller's cancellable: everything is written by then, and GLib checks
   * it again after the rename, which would report a replaced file as a failure. */
  if ((self->error == NULL && flush (self)
       && g_output_stream_close (G_OUTPUT_STREAM (self->out), NULL, &self->error)))
    {
      if (out_n_rows != NULL)
        *out_n_rows = self->n_rows;
      csv_file_free (self);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&self->error));
  pd_csv_file_abandon (self);
  return FALSE;
}
