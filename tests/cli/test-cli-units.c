/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-units.c — the CLI's pieces that need no cache: aligned tables that fit, the JSON
 * of an organization with a local bill-to edit, durations. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pd-cli-json.h"
#include "pd-cli-progress.h"
#include "pd-cli-table.h"
#include "pd-test-util.h"

static char **
render_lines (PdCliTable *table,
              guint       max_width)
{
  g_autofree char *text = pd_cli_table_render (table, max_width);

  g_assert_true (g_str_has_suffix (text, "\n"));
  text[strlen (text) - 1] = '\0';
  return g_strsplit (text, "\n", -1);
}

static void
test_table_aligns (void)
{
  const char *headers[] = { "Name", "Country", NULL };
  const char *row1[] = { "Müller GmbH", "DE", NULL };
  const char *row2[] = { "Contoso", "US", NULL };
  g_autoptr(PdCliTable) table = pd_cli_table_new (headers);
  g_auto(GStrv) lines = NULL;

  pd_cli_table_add_row (table, row1);
  pd_cli_table_add_row (table, row2);
  lines = render_lines (table, 0);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  /* The second column starts at the same display column on every row ("ü" is one column). */
  g_assert_cmpstr (lines[0], ==, "Name         Country");
  g_assert_cmpstr (lines[1], ==, "Müller GmbH  DE");
  g_assert_cmpstr (lines[2], ==, "Contoso      US");
}

static void
test_table_shrinks_to_fit (void)
{
  const char *headers[] = { "Name", "Domain", "Country", NULL };
  const char *row[] = { "A very long organization name indeed", "averylongdomain.example.com",
                        "FI", NULL };
  g_autoptr(PdCliTable) table = pd_cli_table_new (headers);
  g_auto(GStrv) lines = NULL;

  pd_cli_table_add_row (table, row);
  pd_cli_table_set_shrinkable (table, 0, 8);
  pd_cli_table_set_shrinkable (table, 1, 8);
  lines = render_lines (table, 40);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (pd_cli_text_width (lines[i]), <=, 40);
  /* Cut cells say so, and the column that never shrinks is whole. */
  g_assert_nonnull (strstr (lines[1], "…"));
  g_assert_true (g_str_has_suffix (lines[1], "FI"));
}

static void
test_table_wide_characters (void)
{
  const char *headers[] = { "Name", "X", NULL };
  const char *row[] = { "日本株式会社", "JP", NULL };
  g_autoptr(PdCliTable) table = pd_cli_table_new (headers);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (pd_cli_text_width ("日本"), ==, 4);
  pd_cli_table_add_row (table, row);
  pd_cli_table_set_shrinkable (table, 0, 4);
  lines = render_lines (table, 10);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (pd_cli_text_width (lines[i]), <=, 10);
  g_assert_true (g_str_has_suffix (lines[1], "JP"));
}

static PdOrganization *
organization_with_local_edit (void)
{
  PdOrganization *org = pd_organization_new ();
  g_autoptr(PdBillTo) synced = pd_bill_to_new ();
  g_autoptr(PdBillTo) local = pd_bill_to_new ();

  pd_organization_set_id (org, 7);
  pd_organization_set_tenant_id (org, "77777777-7777-4777-8777-777777777777");
  pd_organization_set_name (org, "Tailspin Toys");
  pd_bill_to_set (synced, PD_BILL_TO_CITY, "Oslo");
  pd_bill_to_set (synced, PD_BILL_TO_EMAIL, "ap@tailspin.example");
  pd_organization_set_bill_to_partner_center (org, synced, "etag-1");
  pd_bill_to_set (local, PD_BILL_TO_CITY, "Bergen");
  pd_organization_set_bill_to_override (org, local, "etag-1");
  return org;
}

/* The organization's JSON document, as a script reads it. */
static JsonNode *
parse_organization (PdOrganization *org)
{
  g_autofree char *text = pd_cli_json_dup_organization (org, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json_local_edit (void)
{
  g_autoptr(PdOrganization) org = organization_with_local_edit ();
  g_autoptr(JsonNode) node = parse_organization (org);
  JsonObject *object = json_node_get_object (node);
  JsonObject *effective = json_object_get_object_member (object, "billTo");
  JsonObject *synced = json_object_get_object_member (object, "billToPartnerCenter");
  JsonArray *local = json_object_get_array_member (object, "localBillToFields");

  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "partner-center");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (effective,
                                                                                 "address"),
                                                  "city"), ==, "Bergen");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (synced,
                                                                                 "address"),
                                                  "city"), ==, "Oslo");
  /* Fields without a local edit show the Partner Center value. */
  g_assert_cmpstr (json_object_get_string_member (effective, "email"), ==,
                   "ap@tailspin.example");
  g_assert_cmpstr (json_object_get_string_member (object, "billToEtag"), ==, "etag-1");
  g_assert_cmpuint (json_array_get_length (local), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (local, 0), ==, "address.city");
  g_assert_true (json_object_get_null_member (object, "lastSyncedAt"));
}

/* A document of its own ends with its closing brace (pd_cli_print_json adds the newline), and
 * is the json-glib pretty form of its own data. */
static void
test_json_document (void)
{
  g_autoptr(PdOrganization) org = organization_with_local_edit ();
  g_autofree char *text = pd_cli_json_dup_organization (org, NULL);
  g_autoptr(JsonNode) node = parse_organization (org);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *regenerated = NULL;

  g_assert_true (g_str_has_prefix (text, "{\n  \"id\" : 7,\n"));
  g_assert_true (g_str_has_suffix (text, "\n}"));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  regenerated = json_generator_to_data (generator, NULL);
  g_assert_cmpstr (text, ==, regenerated);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "name"), ==,
                   pd_organization_get_name (org));
}

static void
test_durations (void)
{
  static const struct { double seconds; const char *text; } cases[] = {
    { -1, "?" }, { 0, "0:00" }, { 65, "1:05" }, { 599.6, "10:00" }, { 3723, "1:02:03" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = pd_cli_format_duration (cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* What pd_cli_progress_update draws on a terminal of width columns (stderr into a file). */
static char *
draw_on_terminal (const PdSyncProgress *progress,
                  guint                 width)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PdCliProgress bar;
  char *out = NULL;
  int fd = g_file_open_tmp ("pd-bar-XXXXXX", &path, &error);
  int saved = dup (STDERR_FILENO);

  g_assert_no_error (error);
  fflush (stderr);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  pd_cli_progress_init (&bar);
  bar.tty = TRUE;
  bar.width = width;
  pd_cli_progress_update (&bar, progress);
  fflush (stderr);
  g_assert_cmpint (dup2 (saved, STDERR_FILENO), ==, STDERR_FILENO);
  close (saved);
  close (fd);
  g_assert_true (g_file_get_contents (path, &out, NULL, &error));
  g_assert_no_error (error);
  g_unlink (path);
  /* Each draw starts by going back and erasing the line: "\r\033[K". */
  g_assert_true (g_str_has_prefix (out, "\r\033[K"));
  memmove (out, out + 4, strlen (out + 4) + 1);
  g_test_message ("%u columns: %s", width, out);
  return out;
}

/* On a terminal of 60 columns, the bar of a throttled run fits on one line (a longer one
 * wraps, and each redraw leaves a line behind): the wait's long label is cut, the counts
 * stay; a wider terminal shows it whole. */
static void
test_bar_fits_terminal (void)
{
  PdSyncProgress progress = { PD_SYNC_STAGE_PROFILES, 52, 300, 0, -1, 0, 18 };
  g_autofree char *narrow = draw_on_terminal (&progress, 60);
  g_autofree char *wide = draw_on_terminal (&progress, 140);

  g_assert_cmpuint (pd_cli_text_width (narrow), <, 60);
  g_assert_true (g_str_has_prefix (narrow, "Partner Center asked"));
  g_assert_true (g_str_has_suffix (narrow, "52/300"));
  g_assert_true (g_str_has_prefix (wide, "Partner Center asked to wait (throttling), 18 s "
                                         "left ["));
  g_assert_true (g_str_has_suffix (wide, "52/300"));
}

int
main (int    argc,
      char **argv)
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/cli/table/aligns", test_table_aligns);
  g_test_add_func ("/cli/table/shrinks-to-fit", test_table_shrinks_to_fit);
  g_test_add_func ("/cli/table/wide-characters", test_table_wide_characters);
  g_test_add_func ("/cli/json/local-edit", test_json_local_edit);
  g_test_add_func ("/cli/json/document", test_json_document);
  g_test_add_func ("/cli/progress/durations", test_durations);
  g_test_add_func ("/cli/progress/bar-fits-terminal", test_bar_fits_terminal);

  return g_test_run ();
}
