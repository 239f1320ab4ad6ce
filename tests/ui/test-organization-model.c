/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-organization-model.c — the organization list's model without a widget or a display:
 * loading a small cache, search (narrowing and widening, as the store searches), filters,
 * counts, resellers, sorting, a single changed row, and the packed rows themselves. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gtk/gtk.h>

#include "pd-collate.h"
#include "pd-organization-model.h"
#include "pd-row-array.h"
#include "pd-text-arena.h"
#include "pd-test-util.h"

#define RESELLER "aaaaaaaa-0000-4000-8000-000000000001"

typedef struct {
  char                *dir;
  PdStore             *store;
  PdOrganizationModel *model;
  gint64               litware_id;
  guint                expected;     /* a count waited for */
} Fixture;

static PdOrganization *
pc_org (const char *tenant_id,
        const char *name,
        const char *domain)
{
  PdOrganization *org = pd_organization_new ();

  pd_organization_set_tenant_id (org, tenant_id);
  pd_organization_set_source (org, PD_ORG_SOURCE_PARTNER_CENTER);
  pd_organization_set_name (org, name);
  pd_organization_set_domain (org, domain);
  return org;
}

/* Three Partner Center customers (two of a reseller, one removed) and three manual ones. */
static void
fill_cache (Fixture *fixture)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "t", NULL, &error);
  PdOrganization *org;

  g_assert_no_error (error);
  g_ptr_array_add (orgs, pc_org ("11111111-1111-4111-8111-111111111111", "Contoso Ltd",
                                 "contoso.com"));
  org = pc_org ("55555555-5555-4555-8555-555555555555", "Tailspin Toys", "tailspin.com");
  pd_organization_set_reseller (org, RESELLER, "Reseller One");
  g_ptr_array_add (orgs, org);
  org = pc_org ("66666666-6666-4666-8666-666666666666", "Wingtip Toys", "wingtip.com");
  pd_organization_set_reseller (org, RESELLER, "Reseller One");
  g_ptr_array_add (orgs, org);
  g_assert_true (pd_store_apply_partner_center (fixture->store, run_id, orgs, NULL, &error));
  g_assert_true (pd_store_mark_removed (fixture->store, run_id,
                                        "66666666-6666-4666-8666-666666666666", &error));
  g_assert_true (pd_store_finish_sync_run (fixture->store, run_id, PD_SYNC_STATE_COMPLETE, NULL,
                                           &error));
  fixture->litware_id = pd_store_create_manual (fixture->store, "Litware", "litware.com", "DE",
                                                "ERP-100", &error);
  pd_store_create_manual (fixture->store, "Contoso", "contoso.de", "DE", NULL, &error);
  pd_store_create_manual (fixture->store, "Adventure Works", "adventure-works.com", "US", NULL,
                          &error);
  g_assert_no_error (error);
}

static gboolean
model_loaded (gpointer data)
{
  PdOrganizationModel *model = data;

  return pd_organization_model_get_load (model) == PD_ORGANIZATION_MODEL_LOADED_ONCE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = pd_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "partner-desk.db", NULL);
  fixture->store = pd_store_open (path, &error);
  g_assert_no_error (error);
  fill_cache (fixture);
  fixture->model = pd_organization_model_new (fixture->store);
  pd_organization_model_reload (fixture->model);
  g_assert_true (pd_test_wait_until (model_loaded, fixture->model, 10000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->store);
  pd_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

/* The visible names, comma-separated, in their order. */
static char *
visible_names (PdOrganizationModel *model)
{
  GPtrArray *visible = pd_organization_model_get_visible (model);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < visible->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (visible, i);

      g_string_append_printf (names, i == 0 ? "%s" : ",%s",
                              pd_organization_row_data_get_name (row));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
assert_visible (PdOrganizationModel *model,
                const char          *expected)
{
  g_autofree char *names = visible_names (model);

  g_assert_cmpstr (names, ==, expected);
}

/* Every row in the store's order (by name), and each filter's count is the store's. */
static void
test_counts_match_store (Fixture       *fixture,
                         gconstpointer  data)
{
  guint counts[PD_N_FILTERS];
  PdStoreQuery query = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_count_filters (fixture->store, &query, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pd_organization_model_get_n_total (fixture->model), ==, 6);
  assert_visible (fixture->model,
                  "Adventure Works,Contoso,Contoso Ltd,Litware,Tailspin Toys,Wingtip Toys");
  for (guint f = 0; f < PD_N_FILTERS; f++)
    g_assert_cmpuint (pd_organization_model_get_count (fixture->model, f), ==, counts[f]);
  g_assert_cmpuint (counts[PD_FILTER_MANUAL], ==, 3);
  g_assert_cmpuint (counts[PD_FILTER_REMOVED], ==, 1);
  g_assert_false (pd_organization_model_get_load (fixture->model) & PD_ORGANIZATION_MODEL_PARTIAL);
}

/* Typing narrows, deleting widens, and the counts follow the search. */
static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;

  pd_organization_model_set_search (model, "con");
  assert_visible (model, "Contoso,Contoso Ltd");
  pd_organization_model_set_search (model, "contoso l");
  assert_visible (model, "Contoso Ltd");
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_ALL), ==, 1);
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_MANUAL), ==, 0);
  pd_organization_model_set_search (model, "con");
  assert_visible (model, "Contoso,Contoso Ltd");
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_MANUAL), ==, 1);
  /* The ERP ID is searched too. */
  pd_organization_model_set_search (model, "erp-100");
  assert_visible (model, "Litware");
  pd_organization_model_set_search (model, "nothing-like-this");
  assert_visible (model, "");
  pd_organization_model_set_search (model, NULL);
  g_assert_cmpuint (pd_organization_model_get_visible (model)->len, ==, 6);
}

/* Filter, search and reseller combine; an unknown reseller after a load means every one. */
static void
test_filter_and_reseller (Fixture       *fixture,
                          gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  const char * const *names = NULL;
  const char * const *ids = pd_organization_model_get_resellers (model, &names);

  g_assert_cmpstr (ids[0], ==, RESELLER);
  g_assert_cmpstr (names[0], ==, "Reseller One");
  g_assert_null (ids[1]);
  pd_organization_model_set_filter (model, PD_FILTER_MANUAL);
  g_assert_cmpint (pd_organization_model_get_filter (model), ==, PD_FILTER_MANUAL);
  assert_visible (model, "Adventure Works,Contoso,Litware");
  pd_organization_model_set_search (model, "contoso");
  assert_visible (model, "Contoso");
  pd_organization_model_set_search (model, NULL);
  pd_organization_model_set_filter (model, PD_FILTER_ALL);
  pd_organization_model_set_reseller (model, RESELLER);
  assert_visible (model, "Tailspin Toys,Wingtip Toys");
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_REMOVED), ==, 1);
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_MANUAL), ==, 0);
  pd_organization_model_set_filter (model, PD_FILTER_REMOVED);
  assert_visible (model, "Wingtip Toys");
  pd_organization_model_set_reseller (model, "no-such-reseller");
  assert_visible (model, "");
  pd_organization_model_reload (model);
  g_assert_true (pd_test_wait_until (model_loaded, model, 10000));
  g_assert_null (pd_organization_model_get_reseller (model));
  assert_visible (model, "Wingtip Toys");
}

static int
by_domain_descending (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const PdOrganizationRowData *row_a = a, *row_b = b;

  return g_strcmp0 (row_b->domain, row_a->domain);
}

/* A sort function orders the visible rows, and keeps ordering them as the search narrows. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  g_autoptr(GArray) ids = NULL;

  pd_organization_model_set_sort_func (model, by_domain_descending, NULL);
  assert_visible (model,
                  "Wingtip Toys,Tailspin Toys,Litware,Contoso,Contoso Ltd,Adventure Works");
  pd_organization_model_set_search (model, "tail");
  assert_visible (model, "Tailspin Toys");
  pd_organization_model_set_search (model, "co");
  assert_visible (model, "Wingtip Toys,Tailspin Toys,Litware,Contoso,Contoso Ltd,Adventure Works");
  pd_organization_model_set_search (model, "cont");
  assert_visible (model, "Contoso,Contoso Ltd");
  pd_organization_model_set_search (model, NULL);
  pd_organization_model_set_sort_func (model, NULL, NULL);
  ids = pd_organization_model_dup_visible_ids (model);
  g_assert_cmpuint (ids->len, ==, 6);
  g_assert_cmpint (g_array_index (ids, gint64, 3), ==, fixture->litware_id);
  g_assert_cmpuint (pd_organization_model_find_visible (model, fixture->litware_id), ==, 3);
  g_assert_cmpuint (pd_organization_model_find_visible (model, -1), ==, G_MAXUINT);
}

static void
count_changed (gpointer data)
{
  (*(guint *) data)++;
}

/* One changed organization is read again at once, without a load, and searched afresh. */
static void
test_organization_changed (Fixture       *fixture,
                           gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_signal_connect_swapped (model, "changed", G_CALLBACK (count_changed), &changed);
  pd_organization_model_set_search (model, "erp-777");
  assert_visible (model, "");
  g_assert_true (pd_store_set_field (fixture->store, fixture->litware_id, "erp-id", "ERP-777",
                                     &error));
  g_assert_no_error (error);
  pd_organization_model_organization_changed (model, fixture->litware_id);
  g_assert_false (pd_organization_model_get_load (model) & PD_ORGANIZATION_MODEL_LOADING);
  assert_visible (model, "Litware");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (pd_organization_model_contains (model, fixture->litware_id));
  g_assert_false (pd_organization_model_contains (model, -1));
}

/* Every filter's count for search is the store's (its FTS5 prefix search), whether the text
 * was typed a letter at a time (each search resuming where the last one found the word) or
 * set at once. */
static void
assert_counts_like_store (Fixture    *fixture,
                          const char *search)
{
  PdStoreQuery query = { .search = search };
  guint counts[PD_N_FILTERS];
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_store_count_filters (fixture->store, &query, counts, &error));
  g_assert_no_error (error);
  for (guint f = 0; f < PD_N_FILTERS; f++)
    g_assert_cmpuint (pd_organization_model_get_count (fixture->model, f), ==, counts[f]);
}

static gboolean
duplicates_counted (gpointer data)
{
  Fixture *fixture = data;

  return pd_organization_model_get_count (fixture->model, PD_FILTER_DUPLICATES)
         == fixture->expected;
}

/* The app renames Litware "Tailspin Toys GmbH": the store flags it and Tailspin Toys as
 * possible duplicates, in the same write. The list shows the renamed row at once, and the
 * other's flag after a load: the counts end as the store's. Before, only the renamed row was
 * read again, and the count stayed one short until some other reload. */
static void
test_rename_updates_group_flags (Fixture       *fixture,
                                 gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  g_autoptr(GError) error = NULL;
  guint counts[PD_N_FILTERS];

  g_assert_true (pd_store_set_field (fixture->store, fixture->litware_id, "name",
                                     "Tailspin Toys GmbH", &error));
  g_assert_no_error (error);
  g_assert_true (pd_store_count_filters (fixture->store, NULL, counts, &error));
  g_assert_cmpuint (counts[PD_FILTER_DUPLICATES], >=, 2);
  pd_organization_model_organization_changed (model, fixture->litware_id);
  g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_DUPLICATES), <,
                    counts[PD_FILTER_DUPLICATES]);
  fixture->expected = counts[PD_FILTER_DUPLICATES];
  g_assert_true (pd_test_wait_until (duplicates_counted, fixture, 10000));
  g_assert_true (pd_test_wait_until (model_loaded, model, 10000));
  assert_counts_like_store (fixture, NULL);
}

static void
test_search_like_store (Fixture       *fixture,
                        gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  /* Accents: SQLite's unicode61 removes those of Latin letters only, and folds the final sigma
   * (ς) to σ. Before, the list removed every accent and kept ς: "звездный" found
   * "Звёздный" in the list but not with partner-desk-cli, and "παπαδοπουλος" the reverse. */
  const char * const typed[] = { "toys", "contoso ltd", "erp-100", "adventure-works.com", "co",
                                 "t", "zz", "звездный", "звёздный", "παπαδοπουλος", "mull",
                                 "müll" };
  g_autoptr(GError) error = NULL;

  pd_store_create_manual (fixture->store, "ООО Звёздный Ветер", NULL, "DE", NULL, &error);
  pd_store_create_manual (fixture->store, "ΠΑΠΑΔΟΠΟΥΛΟΣ Α.Ε.", NULL, "DE", NULL, &error);
  pd_store_create_manual (fixture->store, "Müller GmbH", NULL, "DE", NULL, &error);
  g_assert_no_error (error);
  pd_organization_model_reload (model);
  g_assert_true (pd_test_wait_until (model_loaded, model, 10000));
  /* A word the notes have, far into the haystack, and one more row that has it. */
  g_assert_true (pd_store_set_field (fixture->store, fixture->litware_id, "notes",
                                     "Renewal with the purchasing department of Contoso",
                                     &error));
  g_assert_no_error (error);
  pd_organization_model_organization_changed (model, fixture->litware_id);
  for (guint w = 0; w < G_N_ELEMENTS (typed); w++)
    {
      for (glong len = 1; len <= g_utf8_strlen (typed[w], -1); len++)
        {
          g_autofree char *prefix = g_utf8_substring (typed[w], 0, len);

          pd_organization_model_set_search (model, prefix);
          assert_counts_like_store (fixture, prefix);
        }
      pd_organization_model_set_search (model, NULL);
      pd_organization_model_set_search (model, typed[w]);
      assert_counts_like_store (fixture, typed[w]);
    }
  pd_organization_model_set_search (model, "purch");
  assert_visible (model, "Litware");
  pd_organization_model_set_search (model, "purchasing contoso");
  assert_visible (model, "Litware");
}

/* Punctuation alone is a search without words: no organization matches it, as in the store
 * (pd_store_search_is_blank); blank text is no search, and a word typed after it searches. */
static void
test_search_no_words (Fixture       *fixture,
                      gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  const char *wordless[] = { "!!!", "-", "&", "\"" };

  for (guint i = 0; i < G_N_ELEMENTS (wordless); i++)
    {
      pd_organization_model_set_search (model, wordless[i]);
      assert_visible (model, "");
      g_assert_cmpuint (pd_organization_model_get_count (model, PD_FILTER_MANUAL), ==, 0);
      assert_counts_like_store (fixture, wordless[i]);
    }
  pd_organization_model_set_search (model, "& con");
  assert_visible (model, "Contoso,Contoso Ltd");
  pd_organization_model_set_search (model, "&");
  assert_visible (model, "");
  pd_organization_model_set_search (model, "  ");
  g_assert_cmpuint (pd_organization_model_get_visible (model)->len, ==, 6);
  assert_counts_like_store (fixture, "  ");
}

/* A renamed organization moves to its place by name, and its row shows the new values after
 * the edit and after a full load. */
static void
test_rename_moves (Fixture       *fixture,
                   gconstpointer  data)
{
  PdOrganizationModel *model = fixture->model;
  g_autoptr(GError) error = NULL;
  PdOrganizationRowData *row;

  g_assert_true (pd_store_set_field (fixture->store, fixture->litware_id, "name", "Aardvark",
                                     &error));
  g_assert_no_error (error);
  pd_organization_model_organization_changed (model, fixture->litware_id);
  assert_visible (model,
                  "Aardvark,Adventure Works,Contoso,Contoso Ltd,Tailspin Toys,Wingtip Toys");
  g_assert_true (pd_store_set_field (fixture->store, fixture->litware_id, "name", "Contoso M",
                                     &error));
  pd_organization_model_organization_changed (model, fixture->litware_id);
  assert_visible (model,
                  "Adventure Works,Contoso,Contoso Ltd,Contoso M,Tailspin Toys,Wingtip Toys");
  pd_organization_model_set_search (model, "contoso");
  assert_visible (model, "Contoso,Contoso Ltd,Contoso M");
  pd_organization_model_set_search (model, NULL);

  pd_organization_model_reload (model);
  g_assert_true (pd_test_wait_until (model_loaded, model, 10000));
  assert_visible (model,
                  "Adventure Works,Contoso,Contoso Ltd,Contoso M,Tailspin Toys,Wingtip Toys");
  row = g_ptr_array_index (pd_organization_model_get_visible (model), 3);
  g_assert_cmpint (pd_organization_row_data_get_id (row), ==, fixture->litware_id);
  g_assert_cmpstr (row->domain, ==, "litware.com");
  g_assert_cmpstr (row->erp_id, ==, "ERP-100");
  g_assert_cmpstr (row->country, ==, "DE");
  g_assert_true (row->manual);
  g_assert_true (pd_organization_model_contains (model, fixture->litware_id));
}

static PdStoreListRow
list_row (gint64      id,
          const char *name,
          const char *city)
{
  return (PdStoreListRow) { .id = id, .name = name, .domain = "example.com", .city = city,
                            .country = "FI", .status = PD_ORG_STATUS_ACTIVE };
}

/* A table packs rows: by name after finish, ranked, found by id, strings copied (the
 * caller's are gone), repeated values stored once, haystacks side by side. */
static void
test_row_table (void)
{
  g_autoptr(PdRowTable) table = pd_row_table_new ();
  const char *names[] = { "Wingtip", "adatum", "A\xcc\x8angstr\xc3\xb6m", "Contoso" };
  PdOrganizationRowData *rows[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup (names[i]);
      g_autofree char *city = g_strdup_printf ("City %u", i);
      PdStoreListRow row = list_row (100 - i, name, city);

      pd_row_table_add (table, &row);
    }
  pd_row_table_finish (table);
  g_assert_cmpuint (pd_row_table_get_n_rows (table), ==, 4);
  for (guint i = 0; i < 4; i++)
    rows[i] = pd_row_table_get_row (table, i);
  g_assert_cmpstr (rows[0]->name, ==, "adatum");
  g_assert_cmpstr (rows[1]->name, ==, "A\xcc\x8angstr\xc3\xb6m");
  g_assert_cmpstr (rows[2]->name, ==, "Contoso");
  g_assert_cmpstr (rows[3]->name, ==, "Wingtip");
  for (guint i = 0; i + 1 < 4; i++)
    {
      g_assert_cmpuint (rows[i]->rank, <, rows[i + 1]->rank);
      g_assert_true (rows[i + 1]->haystack == rows[i]->haystack + strlen (rows[i]->haystack) + 1);
    }
  g_assert_true (rows[0]->country == rows[3]->country);
  g_assert_cmpstr (rows[3]->haystack, ==, " wingtip example com city 0");
  /* Accents go, whether the text has them composed or as combining marks. */
  g_assert_cmpstr (rows[1]->haystack, ==, " angstrom example com city 2");
  g_assert_true (pd_row_table_find (table, 100) == rows[3]);
  g_assert_true (pd_row_table_find (table, 97) == rows[2]);
  g_assert_null (pd_row_table_find (table, 5));
  g_assert_true (pd_organization_row_data_in_filter (rows[0], PD_FILTER_ALL));
  g_assert_false (pd_organization_row_data_in_filter (rows[0], PD_FILTER_NEW));
}

/* Names the store's order (ASCII case folding, then id) and the list's (pd_collate, then
 * id) put apart: case, accents (composed and combining), letters without a decomposition,
 * non-Latin scripts, digits and punctuation, empty and missing names. */
static const char * const near_names[] = {
  "abc", "ABC", "Abc", "\xc3\xa4" "bc", "\xc3\x84" "bc", "a\xcc\x88" "bc", "\xc3\x85" "bc", "abd",
  "Ab", "ab c", "ab-c", "\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz", "Lodz", "\xc5\x92" "uvre", "oeuvre",
  "stra\xc3\x9f" "e", "strasse", "\xd0\x94\xd0\xbe\xd0\xbc", "\xd0\xb4\xd0\xbe\xd0\xbc",
  "\xd0\x95\xd0\xbc", "\xd0\xb5\xd0\xbc", "\xe6\x9d\xb1\xe4\xba\xac", "\xce\x95\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1",
  "\xce\xb5\xce\xbb\xce\xbb\xce\xac\xce\xb4\xce\xb1", "", NULL, "0", "10", "9", "_x", "~", "Zebra", "zebra",
  "\xc3\x98rsted", "orsted", "\xc4\xb0stanbul", "istanbul",
};

typedef struct {
  const char *name;
  gint64      id;
} NamedId;

/* The store's order: SQLite's NOCASE folds ASCII letters only. */
static int
compare_nocase (gconstpointer a,
                gconstpointer b)
{
  const NamedId *x = a, *y = b;
  int result = g_ascii_strcasecmp (x->name != NULL ? x->name : "", y->name != NULL ? y->name : "");

  if (result != 0)
    return result;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* n rows of near_names (each many times), ids from first_id by step, added in that order or
 * reversed. */
static PdRowTable *
near_table (NamedId *rows,
            guint    n,
            gboolean reversed)
{
  PdRowTable *table = pd_row_table_new ();

  for (guint i = 0; i < n; i++)
    {
      const NamedId *from = &rows[reversed ? n - 1 - i : i];
      g_autofree char *city = g_strdup_printf ("City %u", (guint) from->id);
      PdStoreListRow row = list_row (from->id, from->name, city);

      pd_row_table_add (table, &row);
    }
  return table;
}

/* table has the rows of expected, in the same order, with the same ranks and haystacks. */
static void
assert_same_rows (PdRowTable *table,
                  PdRowTable *expected)
{
  g_assert_cmpuint (pd_row_table_get_n_rows (table), ==, pd_row_table_get_n_rows (expected));
  for (guint i = 0; i < pd_row_table_get_n_rows (table); i++)
    {
      PdOrganizationRowData *row = pd_row_table_get_row (table, i);
      PdOrganizationRowData *want = pd_row_table_get_row (expected, i);

      g_assert_cmpint (row->id, ==, want->id);
      g_assert_cmpuint (row->rank, ==, want->rank);
      g_assert_cmpstr (row->name, ==, want->name);
      g_assert_cmpstr (row->haystack, ==, want->haystack);
      g_assert_true (pd_row_table_find (table, row->id) == row);
      if (i > 0)
        g_assert_true (row->haystack == pd_row_table_get_row (table, i - 1)->haystack
                       + strlen (pd_row_table_get_row (table, i - 1)->haystack) + 1);
    }
}

/* pd_row_table_finish_near gives the rows pd_row_table_finish gives, in its order, from any
 * order of ids: the store's by name (nearly the list's), reversed, shuffled with ids of no
 * row, repeats and ids left out, none; with ids dense or sparse (the lookup table or the
 * binary search) and rows added by id or not (no hint then). */
static void
test_row_table_near_order (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  for (guint step = 1; step <= 5000; step *= 5000)
    for (guint added_reversed = 0; added_reversed < 2; added_reversed++)
      {
        guint n = 4 * G_N_ELEMENTS (near_names) + 7;
        g_autofree NamedId *rows = g_new (NamedId, n);
        g_autofree NamedId *by_name = NULL;
        GArray *hints[5];
        g_autoptr(PdRowTable) expected = NULL;

        for (guint i = 0; i < n; i++)
          rows[i] = (NamedId) { near_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (near_names))],
                                1 + (gint64) i * 2 * step + g_rand_int_range (rand, 0, 2) };
        rows[0].id = 1;
        by_name = g_memdup2 (rows, sizeof (NamedId) * n);
        qsort (by_name, n, sizeof (NamedId), compare_nocase);
        for (guint h = 0; h < G_N_ELEMENTS (hints); h++)
          hints[h] = g_array_new (FALSE, FALSE, sizeof (gint64));
        for (guint i = 0; i < n; i++)
          {
            gint64 unknown = -5 - (gint64) i;

            g_array_append_val (hints[0], by_name[i].id);
            g_array_append_val (hints[1], by_name[n - 1 - i].id);
            g_array_append_val (hints[2], rows[g_rand_int_range (rand, 0, n)].id);
            if (i % 3 == 0)
              g_array_append_val (hints[2], unknown);
            if (i % 2 == 0)
              g_array_append_val (hints[3], by_name[i].id);
          }
        g_array_append_val (hints[3], (gint64) { G_MAXINT64 });

        expected = near_table (rows, n, added_reversed);
        pd_row_table_finish (expected);
        for (guint i = 1; i < n; i++)
          g_assert_cmpint (pd_organization_row_data_compare_names (
                             pd_row_table_get_row (expected, i - 1),
                             pd_row_table_get_row (expected, i)), <, 0);
        for (guint h = 0; h < G_N_ELEMENTS (hints); h++)
          {
            g_autoptr(PdRowTable) table = near_table (rows, n, added_reversed);

            pd_row_table_finish_near (table, (const gint64 *) hints[h]->data, hints[h]->len);
            assert_same_rows (table, expected);
            g_array_unref (hints[h]);
          }
      }
}

/* The name of row id of a large table of n rows: names in an order of their own. */
static char *
large_table_name (gint64 id,
                  guint  n)
{
  return g_strdup_printf ("%s %u", near_names[id % G_N_ELEMENTS (near_names)] ?: "",
                          (guint) (id * 7919 % n));
}

/* A table large enough to be moved into order by two threads (a half each): added by id or
 * not, or with room reserved for fewer rows than it gets (and strings in huge blocks), every
 * row is in order, ranked, found by its id, with its own name and haystack, the haystacks
 * side by side (the second half's start where the first half's end). */
static void
test_row_table_large (void)
{
  const guint n = 70001;

  for (guint variant = 0; variant < 3; variant++)
    {
      gboolean added_reversed = variant == 1;
      g_autoptr(PdRowTable) table = pd_row_table_new ();

      if (variant == 2)
        pd_row_table_reserve (table, n / 2);
      for (guint i = 0; i < n; i++)
        {
          gint64 id = added_reversed ? n - i : i + 1;
          g_autofree char *name = large_table_name (id, n);
          g_autofree char *city = g_strdup_printf ("City %u", (guint) id);
          PdStoreListRow row = list_row (id, name, city);

          pd_row_table_add (table, &row);
        }
      pd_row_table_finish (table);
      g_assert_cmpuint (pd_row_table_get_n_rows (table), ==, n);
      for (guint i = 0; i < n; i++)
        {
          PdOrganizationRowData *row = pd_row_table_get_row (table, i);
          g_autofree char *city = g_strdup_printf (" city %u", (guint) row->id);
          g_autofree char *name = large_table_name (row->id, n);

          g_assert_cmpstr (row->name, ==, name);
          g_assert_true (g_str_has_suffix (row->haystack, city));
          g_assert_true (pd_row_table_find (table, row->id) == row);
          if (i > 0)
            {
              PdOrganizationRowData *before = pd_row_table_get_row (table, i - 1);

              g_assert_cmpint (pd_organization_row_data_compare_names (before, row), <, 0);
              g_assert_cmpuint (before->rank, <, row->rank);
              g_assert_true (row->haystack == before->haystack + strlen (before->haystack) + 1);
            }
        }
    }
}

/* Strings side by side in a block while they fit, in the next block when not, in a block of
 * their own when longer than a block; huge blocks start on a huge page. */
static void
test_text_arena (void)
{
  g_autoptr(PdTextArena) arena = pd_text_arena_new (64);
  g_autoptr(PdTextArena) huge = pd_text_arena_new (PD_TEXT_ARENA_HUGE_BLOCK);
  g_autofree char *long_text = g_strnfill (200, 'x');
  const char *first = pd_text_arena_insert_len (arena, "abc", -1);
  const char *second = pd_text_arena_insert_len (arena, "defgh", 3);
  const char *in_next, *own, *after, *on_page;

  g_assert_cmpstr (first, ==, "abc");
  g_assert_cmpstr (second, ==, "def");
  g_assert_true (second == first + 4);
  in_next = pd_text_arena_insert_len (arena, long_text, 60);
  g_assert_cmpuint (strlen (in_next), ==, 60);
  g_assert_true (in_next != second + 4);
  own = pd_text_arena_insert_len (arena, long_text, -1);
  g_assert_cmpstr (own, ==, long_text);
  after = pd_text_arena_insert_len (arena, "", -1);
  g_assert_cmpstr (after, ==, "");
  g_assert_cmpstr (first, ==, "abc");
  g_assert_cmpuint (strlen (in_next), ==, 60);
  on_page = pd_text_arena_insert_len (huge, "on a huge page", -1);
  g_assert_cmpstr (on_page, ==, "on a huge page");
  g_assert_cmpuint ((guintptr) on_page % PD_TEXT_ARENA_HUGE_BLOCK, ==, 0);
}

/* The part of a collation key before the text itself. */
static char *
key_letters (const char *text)
{
  g_autofree char *key = pd_collate_key (text);

  return g_strndup (key, strcspn (key, "\1"));
}

/* Without a locale's collation, a key has each character's base letters, decomposed one
 * character at a time: the same as of the text in NFD (whose reordering only moves the marks
 * the key leaves out), for every character of the BMP and for several marks in either order. */
static void
test_collate_key (void)
{
  const char *setting = setlocale (LC_COLLATE, NULL);
  const char * const texts[][2] = {
    { "\xc3\x84pfel", "apfel" }, { "\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz" },
    { "Stra\xc3\x9f" "e", "strasse" }, { "a\xcc\xa3\xcc\x82", "a" }, { "a\xcc\x82\xcc\xa3", "a" },
    { "\xe1\xbe\xb3", "\xce\xb1" }, { "\xed\x95\x9c", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab" }, { "AB\xff", "" },
  };

  if (setting == NULL || !(g_str_equal (setting, "C") || g_str_equal (setting, "POSIX")
                           || g_str_has_prefix (setting, "C.")))
    {
      g_test_skip ("the locale has a collation");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *letters = key_letters (texts[i][0]);

      g_assert_cmpstr (letters, ==, texts[i][1]);
    }
  for (gunichar c = 0x80; c < 0x10000; c++)
    {
      char text[16] = "xY";
      g_autofree char *decomposed = NULL;
      g_autofree char *letters = NULL;
      g_autofree char *expected = NULL;

      if (!g_unichar_validate (c))
        continue;
      text[2 + g_unichar_to_utf8 (c, text + 2)] = '\0';
      strcat (text, "\xcc\x88" "Z");
      decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
      letters = key_letters (text);
      expected = key_letters (decomposed);
      g_assert_cmpstr (letters, ==, expected);
    }
}

#define N_MANY 10000

/* A cache with names that the store's order and the list's put apart loads (a full load,
 * which sorts from the store's order) in the list's order, by pd_collate then id, ranked in
 * that order (the tie-break of every other column's sort). */
static void
test_load_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "t", NULL, &error);
  GPtrArray *visible;

  g_assert_no_error (error);
  for (guint i = 0; i < 3 * G_N_ELEMENTS (near_names); i++)
    {
      const char *name = near_names[i % G_N_ELEMENTS (near_names)];
      g_autofree char *tenant = g_strdup_printf ("%08x-0000-4000-8000-%012x", i, i);

      if (i % 2 == 0)
        g_ptr_array_add (orgs, pc_org (tenant, name != NULL ? name : "", "example.com"));
      else if (name != NULL && *name != '\0')
        pd_store_create_manual (fixture->store, name, NULL, "FI", NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (pd_store_apply_partner_center (fixture->store, run_id, orgs, NULL, &error));
  g_assert_no_error (error);
  pd_organization_model_reload (fixture->model);
  g_assert_true (pd_test_wait_until (model_loaded, fixture->model, 10000));

  visible = pd_organization_model_get_visible (fixture->model);
  g_assert_cmpuint (visible->len, >, 2 * G_N_ELEMENTS (near_names));
  for (guint i = 1; i < visible->len; i++)
    {
      PdOrganizationRowData *before = g_ptr_array_index (visible, i - 1);
      PdOrganizationRowData *row = g_ptr_array_index (visible, i);

      g_assert_cmpint (pd_organization_row_data_compare_names (before, row), <, 0);
      g_assert_cmpuint (before->rank, <, row->rank);
    }
}

/* More rows than the loader's batches in circulation (the read thread refills them while
 * the load packs): every row arrives once, with its own texts, in order. */
static void
test_many_rows (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *seen = g_new0 (gboolean, N_MANY);
  gint64 run_id = pd_store_begin_sync_run (fixture->store, PD_SYNC_KIND_FULL, "t", NULL, &error);
  GPtrArray *visible;
  guint n_many = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < N_MANY; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("%08x-0000-4000-8000-%012x", i, i);
      g_autofree char *name = g_strdup_printf ("Org %05u", i);
      g_autofree char *domain = g_strdup_printf ("customer%05u.example", i);

      g_ptr_array_add (orgs, pc_org (tenant, name, domain));
    }
  g_assert_true (pd_store_apply_partner_center (fixture->store, run_id, orgs, NULL, &error));
  g_assert_no_error (error);
  pd_organization_model_reload (fixture->model);
  g_assert_true (pd_test_wait_until (model_loaded, fixture->model, 20000));
  g_assert_cmpuint (pd_organization_model_get_n_total (fixture->model), ==, N_MANY + 6);

  visible = pd_organization_model_get_visible (fixture->model);
  for (guint i = 0; i < visible->len; i++)
    {
      PdOrganizationRowData *row = g_ptr_array_index (visible, i);
      guint from_name, from_domain;
      g_autofree char *hay = NULL;

      if (sscanf (row->name, "Org %u", &from_name) != 1)
        continue;
      g_assert_cmpint (sscanf (row->domain, "customer%u.example", &from_domain), ==, 1);
      g_assert_cmpuint (from_name, ==, from_domain);
      g_assert_cmpuint (from_name, ==, n_many);  /* "Org 00000" … in name order */
      g_assert_false (seen[from_name]);
      seen[from_name] = TRUE;
      hay = g_strdup_printf (" org %05u customer%05u example", from_name, from_name);
      g_assert_cmpstr (row->haystack, ==, hay);
      n_many++;
    }
  g_assert_cmpuint (n_many, ==, N_MANY);
}

static guint n_made;

static GObject *
make_item (guint    position,
           gpointer user_data)
{
  n_made++;
  return g_object_new (G_TYPE_OBJECT, NULL);
}

static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

/* The list's model makes an item only for a position asked for, and keeps it. */
static void
test_row_array_items (void)
{
  g_autoptr(PdRowArray) array = pd_row_array_new (G_TYPE_OBJECT);
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (unref_item);
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) again = NULL;

  g_ptr_array_set_size (pool, 1000);
  pd_row_array_set_factory (array, make_item, NULL);
  pd_row_array_set_prefix (array, pool, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (array)), ==, 1000);
  g_assert_cmpuint (n_made, ==, 0);
  first = g_list_model_get_item (G_LIST_MODEL (array), 500);
  again = g_list_model_get_item (G_LIST_MODEL (array), 500);
  g_assert_true (first == again);
  g_assert_cmpuint (n_made, ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (array), 1000));
}

/* What a view knows of a row array: the items its "items-changed" told it of, checked
 * against the array after each one (positions consistent, nothing announced twice). */
typedef struct {
  GListModel *model;
  GPtrArray  *seen;
  guint       n_changes;
} Mirror;

static void
mirror_items_changed (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->seen->len);
  g_ptr_array_remove_range (mirror->seen, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror->seen, position + i, g_list_model_get_item (model, position + i));
  g_assert_cmpuint (mirror->seen->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < mirror->seen->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (mirror->seen, i));
    }
  mirror->n_changes++;
}

static void
mirror_init (Mirror     *mirror,
             PdRowArray *array)
{
  mirror->model = G_LIST_MODEL (array);
  mirror->seen = g_ptr_array_new_with_free_func (g_object_unref);
  mirror->n_changes = 0;
  g_signal_connect (array, "items-changed", G_CALLBACK (mirror_items_changed), mirror);
}

static GPtrArray *
pool_new (guint n)
{
  GPtrArray *pool = g_ptr_array_new_with_free_func (unref_item);

  g_ptr_array_set_size (pool, n);
  return pool;
}

/* A jump from 10 rows to 1,000 announces the first 40 at once and the rest when exposed; the
 * view's picture matches the array at every step, and ends with all 1,000. */
static void
test_row_array_staged (void)
{
  g_autoptr(PdRowArray) array = pd_row_array_new (G_TYPE_OBJECT);
  g_autoptr(GPtrArray) pool = pool_new (1000);
  Mirror mirror;

  pd_row_array_set_factory (array, make_item, NULL);
  mirror_init (&mirror, array);
  pd_row_array_set_prefix (array, pool, 10);
  g_assert_true (pd_row_array_set_prefix_staged (array, pool, 1000, 40));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (array)), ==, 40);
  g_assert_cmpuint (mirror.n_changes, ==, 2);
  g_assert_true (pd_row_array_has_staged (array));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (array), 40));

  pd_row_array_expose_staged (array);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (array)), ==, 1000);
  g_assert_cmpuint (mirror.seen->len, ==, 1000);
  g_assert_cmpuint (mirror.n_changes, ==, 3);
  g_assert_false (pd_row_array_has_staged (array));
  /* Exposed once: a second call announces nothing. */
  pd_row_array_expose_staged (array);
  g_assert_cmpuint (mirror.n_changes, ==, 3);

  /* Shrinking, or growing within what is shown, stages nothing. */
  g_assert_false (pd_row_array_set_prefix_staged (array, pool, 30, 40));
  g_assert_cmpuint (mirror.seen->len, ==, 30);
  g_assert_false (pd_row_array_set_prefix_staged (array, pool, 40, 40));
  g_assert_cmpuint (mirror.seen->len, ==, 40);
  g_assert_false (pd_row_array_has_staged (array));
  g_signal_handlers_disconnect_by_data (array, &mirror);
  g_ptr_array_unref (mirror.seen);
}

/* A new search before the rest is exposed replaces what was staged: exposing then shows the
 * new count, and a plain set drops the staged rows altogether. */
static void
test_row_array_staged_cancel (void)
{
  g_autoptr(PdRowArray) array = pd_row_array_new (G_TYPE_OBJECT);
  g_autoptr(GPtrArray) pool = pool_new (1000);
  g_autoptr(GPtrArray) other = pool_new (100);
  Mirror mirror;

  pd_row_array_set_factory (array, make_item, NULL);
  mirror_init (&mirror, array);
  g_assert_true (pd_row_array_set_prefix_staged (array, pool, 1000, 40));
  g_assert_true (pd_row_array_set_prefix_staged (array, pool, 500, 40));
  g_assert_cmpuint (mirror.seen->len, ==, 40);
  pd_row_array_expose_staged (array);
  g_assert_cmpuint (mirror.seen->len, ==, 500);

  pd_row_array_set_prefix (array, pool, 3);
  g_assert_true (pd_row_array_set_prefix_staged (array, pool, 900, 40));
  pd_row_array_set_prefix (array, pool, 5);
  g_assert_false (pd_row_array_has_staged (array));
  g_assert_cmpuint (mirror.seen->len, ==, 5);
  pd_row_array_expose_staged (array);
  g_assert_cmpuint (mirror.seen->len, ==, 5);

  /* Another pool: everything shown is replaced, the first 40 of the new one shown. */
  g_assert_true (pd_row_array_set_prefix_staged (array, other, 100, 40));
  g_assert_cmpuint (mirror.seen->len, ==, 40);
  pd_row_array_set (array, NULL);
  g_assert_false (pd_row_array_has_staged (array));
  pd_row_array_expose_staged (array);
  g_assert_cmpuint (mirror.seen->len, ==, 0);
  g_signal_handlers_disconnect_by_data (array, &mirror);
  g_ptr_array_unref (mirror.seen);
}

/* The selected item stays selected, at its position, when the staged rows come in after it. */
static void
test_row_array_staged_selection (void)
{
  g_autoptr(PdRowArray) array = pd_row_array_new (G_TYPE_OBJECT);
  g_autoptr(GPtrArray) pool = pool_new (1000);
  g_autoptr(GtkSingleSelection) selection = NULL;
  gpointer selected;

  pd_row_array_set_factory (array, make_item, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (array)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  pd_row_array_set_prefix (array, pool, 10);
  g_assert_true (pd_row_array_set_prefix_staged (array, pool, 1000, 40));
  gtk_single_selection_set_selected (selection, 25);
  selected = gtk_single_selection_get_selected_item (selection);
  g_assert_nonnull (selected);
  pd_row_array_expose_staged (array);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 25);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == selected);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  pd_test_init (&argc, &argv);
  g_test_add ("/organization-model/counts", Fixture, NULL, fixture_set_up,
              test_counts_match_store, fixture_tear_down);
  g_test_add ("/organization-model/search", Fixture, NULL, fixture_set_up, test_search,
              fixture_tear_down);
  g_test_add ("/organization-model/search-no-words", Fixture, NULL, fixture_set_up,
              test_search_no_words, fixture_tear_down);
  g_test_add ("/organization-model/filter-and-reseller", Fixture, NULL, fixture_set_up,
              test_filter_and_reseller, fixture_tear_down);
  g_test_add ("/organization-model/sort", Fixture, NULL, fixture_set_up, test_sort,
              fixture_tear_down);
  g_test_add ("/organization-model/organization-changed", Fixture, NULL, fixture_set_up,
              test_organization_changed, fixture_tear_down);
  g_test_add ("/organization-model/search-like-store", Fixture, NULL, fixture_set_up,
              test_search_like_store, fixture_tear_down);
  g_test_add ("/organization-model/rename-updates-group-flags", Fixture, NULL, fixture_set_up,
              test_rename_updates_group_flags, fixture_tear_down);
  g_test_add ("/organization-model/rename-moves", Fixture, NULL, fixture_set_up,
              test_rename_moves, fixture_tear_down);
  g_test_add ("/organization-model/load-order", Fixture, NULL, fixture_set_up, test_load_order,
              fixture_tear_down);
  g_test_add ("/organization-model/many-rows", Fixture, NULL, fixture_set_up, test_many_rows,
              fixture_tear_down);
  g_test_add_func ("/organization-model/row-table", test_row_table);
  g_test_add_func ("/organization-model/row-table-near-order", test_row_table_near_order);
  g_test_add_func ("/organization-model/row-table-large", test_row_table_large);
  g_test_add_func ("/organization-model/text-arena", test_text_arena);
  g_test_add_func ("/organization-model/collate-key", test_collate_key);
  g_test_add_func ("/organization-model/row-array-items", test_row_array_items);
  g_test_add_func ("/organization-model/row-array-staged", test_row_array_staged);
  g_test_add_func ("/organization-model/row-array-staged-cancel", test_row_array_staged_cancel);
  g_test_add_func ("/organization-model/row-array-staged-selection",
                   test_row_array_staged_selection);
  return g_test_run ();
}
