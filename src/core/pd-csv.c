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

gboolean
pd_csv_export_organizations (GPtrArray  *organizations,
                             GFile      *file,
                             GError    **error)
{
  g_autoptr(GString) out = g_string_sized_new (4096);

  g_return_val_if_fail (organizations != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pd_csv_append_header (out);
  for (guint i = 0; i < organizations->len; i++)
    pd_csv_append_organization (out, g_ptr_array_index (organizations, i));

  /* g_file_replace_contents() writes a temporary file and renames it over the target, so a
   * full disk or a crash never leaves half an export (or destroys the previous one). The
   * export holds customers' billing data: readable by the user only. */
  return g_file_replace_contents (file, out->str, out->len, NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE, NULL, NULL, error);
}
