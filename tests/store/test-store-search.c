/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-search.c — which organizations a search or a page lists (pd-store-search.c):
 * prefix words, FTS5 syntax as plain text, and the first rows of a page whichever way the
 * store finds them. */
#include "config.h"

#include <string.h>

#include "core/pd-store-private.h"
#include "pd-test-util.h"
#include "store-test-helpers.h"

static void
test_search_prefix (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  g_autoptr(GError) error = NULL;
  PdStoreQuery query = { .search = "cont", .limit = 1 };
  g_autoptr(GPtrArray) limited = NULL;

  g_assert_cmpuint (store_test_search_count (store, "cont"), ==, 2);       /* name */
  g_assert_cmpuint (store_test_search_count (store, "CONT"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, "northw"), ==, 1);     /* name + domain */
  g_assert_cmpuint (store_test_search_count (store, "mueller.d"), ==, 1);  /* domain */
  g_assert_cmpuint (store_test_search_count (store, "erp-7"), ==, 1);      /* ERP ID */
  g_assert_cmpuint (store_test_search_count (store, "sales@"), ==, 1);     /* e-mail */
  g_assert_cmpuint (store_test_search_count (store, "hamb"), ==, 1);       /* city */
  g_assert_cmpuint (store_test_search_count (store, "munch"), ==, 1);      /* diacritics folded */
  g_assert_cmpuint (store_test_search_count (store, "mull"), ==, 1);
  g_assert_cmpuint (store_test_search_count (store, "contoso berl"), ==, 1);  /* words ANDed */
  g_assert_cmpuint (store_test_search_count (store, "zzz"), ==, 0);
  /* FTS5 syntax typed by the user is plain text, never an error. */
  g_assert_cmpuint (store_test_search_count (store, "\""), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "AND("), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "cont*"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, "NEAR(cont"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "OR"), ==, 0);
  g_assert_cmpuint (store_test_search_count (store, "-cont"), ==, 2);
  g_assert_cmpuint (store_test_search_count (store, ""), ==, 4);

  limited = pd_store_list (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 1);
  /* Sorted by name: "Contoso" before "Contoso Ltd.". */
  g_assert_cmpstr (pd_organization_get_name (g_ptr_array_index (limited, 0)), ==, "Contoso");
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

static gboolean
count_row (const PdStoreListRow *row,
           gpointer              n)
{
  (*(guint *) n)++;
  return TRUE;
}

/* How many organizations every way of reading a query finds: the list, a page of it, the
 * counts and the list's rows; asserting they agree. */
static guint
count_every_way (PdStore    *store,
                 const char *text)
{
  PdStoreQuery page_query = { .search = text, .limit = 2 };
  PdStoreQuery all_query = { .search = text };
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n = store_test_search_count (store, text), n_rows = 0;

  page = pd_store_list (store, &page_query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, MIN (n, 2));
  g_assert_true (pd_store_list_rows (store, &all_query, count_row, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, n);
  return n;
}

/* A search of punctuation alone has no word: it matches no organization (none has such a
 * word), however the store reads it; only blank text is no search. */
static void
test_search_no_words (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = store_test_open_search_fixture (&dir);
  const char *wordless[] = { "!!!", "-", "&", "\"", " . ", "\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (wordless); i++)
    {
      g_autofree char *shown = g_strescape (wordless[i], NULL);

      g_test_message ("search “%s”", shown);
      g_assert_false (pd_store_search_is_blank (wordless[i]));
      g_assert_cmpuint (count_every_way (store, wordless[i]), ==, 0);
    }
  g_assert_true (pd_store_search_is_blank (NULL));
  g_assert_true (pd_store_search_is_blank (""));
  g_assert_true (pd_store_search_is_blank (" \t"));
  g_assert_cmpuint (count_every_way (store, " \t"), ==, 4);
  g_assert_cmpuint (count_every_way (store, "& cont"), ==, 2);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Debug messages of pd-core while search_log is not NULL: which way the store found a page. */
static GString *search_log;

static GLogWriterOutput
capture_search_log (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         data)
{
  if ((level & G_LOG_LEVEL_DEBUG) == 0)
    return g_log_writer_default (level, fields, n_fields, data);
  for (gsize i = 0; search_log != NULL && i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (search_log, "%s\n", (const char *) fields[i].value);
  return G_LOG_WRITER_HANDLED;
}

/* 300 synced customers: "<first> <second> <i>", org<i>.com, München for four in five. */
static PdStore *
open_pages_fixture (char **out_dir)
{
  static const char * const first[] = { "Müller", "Contoso", "Alpine", "Nordic", "Zenith",
                                        "Baltic", "Coffee" };
  static const char * const second[] = { "Trading", "Partners", "Foods", "Energy", "Media",
                                         "Studio", "Print", "Books", "Cloud", "Steel", "Paper",
                                         "Glass", "Solar" };
  PdStore *store = store_test_open_temp (out_dir);
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *tenant = g_strdup_printf ("0b7f5a0e-0000-4000-8000-%012u", i);
      g_autofree char *name = g_strdup_printf ("%s %s %u", first[i % G_N_ELEMENTS (first)],
                                               second[i % G_N_ELEMENTS (second)], i);
      g_autofree char *domain = g_strdup_printf ("org%u.com", i);
      g_autofree char *email = g_strdup_printf ("billing@org%u.com", i);

      g_ptr_array_add (orgs, store_test_pc_org (tenant, name, domain,
                                                i % 5 == 0 ? NULL : "München", email, "e1"));
    }
  g_assert_true (pd_store_apply_partner_center (store, 0, orgs, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* Asserts that the first limit rows of a search (and filter) are the first rows of its whole
 * answer; returns how many rows the whole answer has. */
static guint
assert_page_starts_whole (PdStore    *store,
                          const char *search,
                          PdFilter    filter,
                          guint       limit)
{
  PdStoreQuery whole_query = { .search = search, .filter = filter };
  PdStoreQuery page_query = whole_query;
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  whole = pd_store_list (store, &whole_query, &error);
  g_assert_no_error (error);
  page_query.limit = limit;
  page = pd_store_list (store, &page_query, &error);
  g_assert_no_error (error);
  g_test_message ("“%s”, filter %d: %u of %u", search, filter, page->len, whole->len);
  g_assert_cmpuint (page->len, ==, MIN (limit, whole->len));
  for (guint j = 0; j < page->len; j++)
    g_assert_cmpint (pd_organization_get_id (g_ptr_array_index (page, j)), ==,
                     pd_organization_get_id (g_ptr_array_index (whole, j)));
  return whole->len;
}

/* The first rows of a search are the first rows of its whole answer, whichever way the store
 * finds them (each way is asserted to be taken, from the store's debug messages): matching
 * rows in name order one by one (most rows match), the index's rows for the rarest word
 * matched on the others row by row, the index's rows for each word intersected, those sorted
 * (few) or picked out of the names in order (many), a word's rows kept from an earlier search.
 * Matched one by one, diacritics and case fold as the index folds them (“munch” finds
 * München). */
static void
test_search_pages (void)
{
  static const char * const searches[] = { "co", "com", "mull", "MÜL", "mull pap", "alp so",
                                           "zenith", "coffee trading", "b", "zz", "solar 7",
                                           "munch", "MÜN", "münchen bil", "123 co", "12 b",
                                           "12 zz", "c", "o", "or", "co 12", "com 1",
                                           "org1 com", "m b", "mü t", "al co", "b m", "bi m",
                                           "s c", "s co", "p o", "o p", "mu 1" };
  static const char * const ways[] = { "rows matched in name order",
                                       "the rarest word by the index",
                                       "each word by the index", "sorted",
                                       "picked from the names in order",
                                       "kept from a search before" };
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_pages_fixture (&dir);
  g_autoptr(GError) error = NULL;

  search_log = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (searches) * 2; i++)
    assert_page_starts_whole (store, searches[i / 2],
                              i % 2 == 0 ? PD_FILTER_ALL : PD_FILTER_INCOMPLETE, 10);
  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    if (strstr (search_log->str, ways[i]) == NULL)
      g_error ("no search found its page this way: %s\n%s", ways[i], search_log->str);
  g_string_free (g_steal_pointer (&search_log), TRUE);
  g_assert_cmpuint (store_test_search_count (store, "MÜL"), ==, 43);

  /* Filters without a search: a small one is read from its index and sorted, a big one walks
   * the names in order. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Handmade %u", 3 - i);

      g_assert_cmpint (pd_store_create_manual (store, name, NULL, "DE", NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  for (int filter = 0; filter < PD_N_FILTERS; filter++)
    {
      PdStoreQuery whole_query = { .filter = filter };
      PdStoreQuery page_query = { .filter = filter, .limit = 2 };
      g_autoptr(GPtrArray) whole = pd_store_list (store, &whole_query, &error);
      g_autoptr(GPtrArray) page = pd_store_list (store, &page_query, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (2, whole->len));
      for (guint j = 0; j < page->len; j++)
        g_assert_cmpint (pd_organization_get_id (g_ptr_array_index (page, j)), ==,
                         pd_organization_get_id (g_ptr_array_index (whole, j)));
    }
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* Renames customer i of open_pages_fixture as Partner Center would. */
static void
rename_customer (PdStore    *store,
                 guint       i,
                 const char *name)
{
  g_autofree char *tenant = g_strdup_printf ("0b7f5a0e-0000-4000-8000-%012u", i);
  g_autofree char *domain = g_strdup_printf ("org%u.com", i);
  g_autofree char *email = g_strdup_printf ("billing@org%u.com", i);
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (orgs, store_test_pc_org (tenant, name, domain, "München", email, "e2"));
  g_assert_true (pd_store_apply_partner_center (store, 0, orgs, NULL, &error));
  g_assert_no_error (error);
}

/* A word's rows from the index are kept from one search to the next only while nothing is
 * written: a write of this store and one of another connection (the CLI's sync in another
 * process) both make the next search ask the index again. */
static void
test_search_kept_words (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_pages_fixture (&dir);
  g_autoptr(PdStore) other = NULL;
  g_autoptr(GError) error = NULL;

  search_log = g_string_new (NULL);
  g_assert_cmpuint (assert_page_starts_whole (store, "quok", PD_FILTER_ALL, 10), ==, 0);
  g_assert_null (strstr (search_log->str, "kept from a search before"));
  g_assert_cmpuint (assert_page_starts_whole (store, "quok", PD_FILTER_ALL, 10), ==, 0);
  g_assert_nonnull (strstr (search_log->str, "kept from a search before"));

  rename_customer (store, 7, "Quokka Foods 7");
  g_string_truncate (search_log, 0);
  g_assert_cmpuint (assert_page_starts_whole (store, "quok", PD_FILTER_ALL, 10), ==, 1);
  g_assert_null (strstr (search_log->str, "kept from a search before"));

  other = pd_store_open (pd_store_get_path (store), &error);
  g_assert_no_error (error);
  rename_customer (other, 8, "Quokka Media 8");
  g_string_truncate (search_log, 0);
  g_assert_cmpuint (assert_page_starts_whole (store, "quok", PD_FILTER_ALL, 10), ==, 2);
  g_assert_null (strstr (search_log->str, "kept from a search before"));
  g_assert_cmpuint (assert_page_starts_whole (store, "quok 8", PD_FILTER_ALL, 10), ==, 1);
  g_string_free (g_steal_pointer (&search_log), TRUE);
  g_clear_object (&other);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* The shares of rows a search's words match, as the store estimates them before choosing a
 * way (pd-store-words.c): a cache smaller than the sample is read whole, so they are exact,
 * and they follow the cache when it changes. */
static void
test_search_sample (void)
{
  static const char *words[] = { "co", "MÜL", "zz", "1", NULL };
  g_autofree char *dir = NULL;
  g_autoptr(PdStore) store = open_pages_fixture (&dir);
  g_autoptr(PdSearchMatcher) matcher = _pd_store_matcher_new (store, words);
  g_autoptr(GError) error = NULL;
  double shares[4] = { 0 }, n = 0;

  g_assert_nonnull (matcher);
  g_assert_true (_pd_store_sample_estimate (store, matcher, 300, &n, shares, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (n, 300, 0.5);
  g_assert_cmpfloat_with_epsilon (shares[0], 1.0, 1e-9);        /* every org<i>.com */
  g_assert_cmpfloat_with_epsilon (shares[1], 43.0 / 300, 1e-9); /* Müller, folded */
  g_assert_cmpfloat_with_epsilon (shares[2], 0, 1e-9);
  /* "1", "10"…"19", "100"…"199": names and domains (org1 is one token) count once a row. */
  g_assert_cmpfloat_with_epsilon (shares[3], 111.0 / 300, 1e-9);

  rename_customer (store, 7, "Zzyzx Foods 7");
  g_assert_true (_pd_store_sample_estimate (store, matcher, 300, &n, shares, &error));
  g_assert_cmpfloat_with_epsilon (shares[2], 0, 1e-9);           /* same size: kept */
  g_assert_cmpint (pd_store_create_manual (store, "Zzyzx Two", NULL, "DE", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (_pd_store_sample_estimate (store, matcher, 301, &n, shares, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (n, 301, 0.5);
  g_assert_cmpfloat_with_epsilon (shares[2], 2.0 / 301, 1e-9);
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);
  g_log_set_writer_func (capture_search_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);
  g_test_add_func ("/store/search/prefix", test_search_prefix);
  g_test_add_func ("/store/search/no-words", test_search_no_words);
  g_test_add_func ("/store/search/pages", test_search_pages);
  g_test_add_func ("/store/search/kept-words", test_search_kept_words);
  g_test_add_func ("/store/search/sample", test_search_sample);
  return g_test_run ();
}
