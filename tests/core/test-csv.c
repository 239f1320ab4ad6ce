/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv.c — RFC 4180 cells and rows, formula escaping, the organization export. */
#include "config.h"

#include <glib/gstdio.h>

#include "pd-csv-private.h"
#include "pd-organization.h"
#include "pd-test-util.h"

static char *
cell (const char *value)
{
  GString *out = g_string_new (NULL);

  pd_csv_append_cell (out, value);
  return g_string_free (out, FALSE);
}

static void
assert_cell (const char *value,
             const char *expected)
{
  g_autofree char *got = cell (value);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_quoting (void)
{
  assert_cell ("plain", "plain");
  assert_cell ("", "");
  assert_cell (NULL, "");
  assert_cell ("a,b", "\"a,b\"");
  assert_cell ("say \"hi\"", "\"say \"\"hi\"\"\"");
  assert_cell ("line 1\nline 2", "\"line 1\nline 2\"");
  assert_cell ("line 1\r\nline 2", "\"line 1\r\nline 2\"");
  assert_cell (" padded ", "\" padded \"");
  assert_cell ("Müller", "Müller");
}

static void
test_formula_escape (void)
{
  assert_cell ("=SUM(A1)", "'=SUM(A1)");
  assert_cell ("-5", "'-5");
  assert_cell ("+358 40 123", "'+358 40 123");
  assert_cell ("@cmd", "'@cmd");
  assert_cell ("  =1+1", "\"'  =1+1\"");
  assert_cell ("\t=1", "'\t=1");
  assert_cell ("\r=1", "\"'\r=1\"");
  assert_cell ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  assert_cell ("a=b", "a=b");
  assert_cell ("5-3", "5-3");
}

static void
test_row (void)
{
  const char * const cells[] = { "1", NULL, "a,b", "=x" };
  g_autoptr(GString) out = g_string_new (NULL);

  pd_csv_append_row (out, cells, G_N_ELEMENTS (cells));
  pd_csv_append_row (out, cells, 1);
  g_assert_cmpstr (out->str, ==, "1,,\"a,b\",'=x\r\n1\r\n");
}

static PdOrganization *
make_org (gint64      id,
          const char *name)
{
  PdOrganization *org = pd_organization_new ();
  g_autoptr(PdBillTo) bill_to = pd_bill_to_new ();
  g_autoptr(PdBillTo) override = pd_bill_to_new ();
  g_autoptr(GDateTime) synced = g_date_time_new_utc (2026, 11, 24, 6, 30, 0);
  const char * const segments[] = { "smb", "edu", NULL };
  const char * const missing[] = { "address.postalCode", NULL };

  pd_organization_set_id (org, id);
  pd_organization_set_tenant_id (org, "7f3c1e2a-0000-4000-8000-000000000001");
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, "contoso.onmicrosoft.com");
  pd_organization_set_segments (org, segments);
  pd_organization_set_status (org, PD_ORG_STATUS_ACTIVE);
  pd_organization_set_missing_fields (org, missing);
  pd_organization_set_last_synced_at (org, synced);
  pd_bill_to_set (bill_to, PD_BILL_TO_COUNTRY, "FI");
  pd_bill_to_set (bill_to, PD_BILL_TO_PHONE_NUMBER, "+358 9 123");
  pd_bill_to_set (override, PD_BILL_TO_CITY, "Espoo\nFinland");
  pd_organization_set_bill_to_partner_center (org, bill_to, "e1");
  pd_organization_set_bill_to_override (org, override, "e1");
  return org;
}

/* Writes orgs to file as one export, which must take n_expected rows. */
static void
export_all (GFile     *file,
            GPtrArray *orgs,
            guint      n_expected)
{
  g_autoptr(GError) error = NULL;
  PdCsvFile *csv = pd_csv_file_create (file, NULL, &error);
  guint n_rows = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < orgs->len; i++)
    g_assert_true (pd_csv_file_add (g_ptr_array_index (orgs, i), csv));
  g_assert_true (pd_csv_file_commit (csv, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, n_expected);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  g_ptr_array_add (orgs, make_org (1, "=cmd|' /C calc'!A0"));
  g_ptr_array_add (orgs, make_org (2, "Contoso, Ltd."));
  export_all (file, orgs, 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "id,tenantId,source,name,domain,country,erpId,"));
  g_assert_nonnull (strstr (lines[0], ",billTo.companyName,billTo.email,"));
  g_assert_nonnull (strstr (lines[0], ",billTo.address.postalCode,"));
  g_assert_true (g_str_has_suffix (lines[0], ",removedFromPartnerCenter,resellerId,resellerName,"
                                             "lastSyncedAt,billToState,billToReadError,"
                                             "billToReadAt"));
  g_assert_true (g_str_has_prefix (lines[1], "1,7f3c1e2a-0000-4000-8000-000000000001,"
                                             "partner-center,'=cmd|' /C calc'!A0,"
                                             "contoso.onmicrosoft.com,FI,,,smb; edu,,active,,"));
  /* Phone numbers start with '+': escaped. The override's newline is quoted. */
  g_assert_nonnull (strstr (lines[1], ",'+358 9 123,"));
  g_assert_nonnull (strstr (lines[1], ",\"Espoo\nFinland\","));
  g_assert_nonnull (strstr (lines[1], ",false,address.postalCode,address.city,false,,,"
                                      "2026-11-24T06:30:00Z,incomplete,,"));
  g_assert_true (g_str_has_prefix (lines[2], "2,7f3c1e2a-0000-4000-8000-000000000001,"
                                             "partner-center,\"Contoso, Ltd.\","));
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_null (lines[4]);

  /* Private: the export holds billing data. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);
  pd_test_rm_rf (dir);
}

static void
test_export_error (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-dir/for/sure/export.csv");
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_null (pd_csv_file_create (file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* An export that stops half-way (cancelled, or its source failed) leaves the previous file as
 * it was, and no file where there was none. */
static void
test_export_abandoned (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *fresh_path = g_build_filename (dir, "fresh.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) fresh = g_file_new_for_path (fresh_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PdOrganization) org = make_org (1, "Contoso");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  PdCsvFile *csv;

  g_assert_true (g_file_set_contents (path, "previous\n", -1, NULL));
  csv = pd_csv_file_create (file, cancellable, &error);
  g_assert_no_error (error);
  g_assert_true (pd_csv_file_add (org, csv));
  g_cancellable_cancel (cancellable);
  g_assert_false (pd_csv_file_add (org, csv));
  g_assert_false (pd_csv_file_commit (csv, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "previous\n");

  g_clear_error (&error);
  csv = pd_csv_file_create (fresh, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pd_csv_file_add (org, csv));
  pd_csv_file_abandon (csv);
  g_assert_false (g_file_test (fresh_path, G_FILE_TEST_EXISTS));
  /* Nothing else is left in the folder: no temporary file either. */
  g_assert_cmpuint (count_files (dir), ==, 1);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/csv/quoting", test_quoting);
  g_test_add_func ("/csv/formula-escape", test_formula_escape);
  g_test_add_func ("/csv/row", test_row);
  g_test_add_func ("/csv/export", test_export);
  g_test_add_func ("/csv/export-abandoned", test_export_abandoned);
  g_test_add_func ("/csv/export-error", test_export_error);

  return g_test_run ();
}
