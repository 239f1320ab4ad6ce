/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-duplicates.c — name/domain normalisation, matching and grouping. */
#include "config.h"

#include "pd-duplicates-private.h"
#include "pd-test-util.h"

static void
assert_name (const char *input,
             const char *expected)
{
  g_autofree char *normalized = pd_duplicates_normalize_name (input);

  g_assert_cmpstr (normalized, ==, expected);
}

static void
test_normalize_name (void)
{
  assert_name ("Contoso Ltd.", "contoso");
  assert_name ("contoso", "contoso");
  assert_name ("  CONTOSO,  LIMITED ", "contoso");
  assert_name ("Müller GmbH", "muller");
  assert_name ("Müller GmbH & Co. KG", "muller");
  assert_name ("Muller", "muller");
  assert_name ("Fabrikam Oy", "fabrikam");
  assert_name ("Fabrikam Oyj", "fabrikam");
  assert_name ("Northwind A/S", "northwind");
  assert_name ("Northwind ApS", "northwind");
  assert_name ("Tailspin S.A.", "tailspin");
  assert_name ("Tailspin S.p.A.", "tailspin");
  assert_name ("Tailspin S.r.l.", "tailspin");
  assert_name ("Woodgrove B.V.", "woodgrove");
  assert_name ("Woodgrove N.V.", "woodgrove");
  assert_name ("Litware Sp. z o.o.", "litware");
  assert_name ("Litware s.r.o.", "litware");
  assert_name ("Adatum Pty Ltd", "adatum");
  assert_name ("Adatum Inc.", "adatum");
  assert_name ("Adatum, LLC", "adatum");
  assert_name ("Adatum Corporation", "adatum");
  assert_name ("Adatum SARL", "adatum");
  assert_name ("Adatum Kft.", "adatum");
  assert_name ("Adatum PLC", "adatum");
  assert_name ("Møller & Søn ApS", "moller son");
  assert_name ("Straße AG", "strasse");
  assert_name ("Café-Bar de l'Étoile", "cafe bar de l etoile");
  assert_name ("ООО Ромашка", "ооо ромашка");
  /* Decomposed accents, compatibility forms and ASCII mixed with other scripts fold as the
   * precomposed, plain forms do. */
  assert_name ("Cafe\xcc\x81 Oy", "cafe");
  assert_name ("\xef\xbc\xa3\xef\xbd\x8f\xef\xbd\x8e\xef\xbd\x94"   /* fullwidth */
               "\xef\xbd\x8f\xef\xbd\x93\xef\xbd\x8f Ltd", "contoso");
  assert_name ("\xef\xac\x81nance AB", "finance");
  assert_name ("Ab\xc3\x9f" "cd-\xc3\x98l GmbH & Co. KG", "absscd ol");
  assert_name ("Nordic Sp. z o.o. S.A.", "nordic");
  assert_name ("A B C D E F G H I J K L M N O P Q R S T U V W X Y Z 0 1 2 3 4 5 6 7 8 9 Ltd",
               "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9");
  /* Never strips the whole name. */
  assert_name ("AB", "ab");
  assert_name ("Ltd Ltd", "ltd");
  assert_name ("", "");
  assert_name (NULL, "");
  assert_name ("!!!", "");
}

/* Whatever a sync or a paste brings: invalid UTF-8, control characters, a novel as a name. */
static void
test_hostile_input (void)
{
  g_autoptr(PdDuplicates) index = pd_duplicates_new ();
  g_autofree char *invalid = pd_duplicates_normalize_name ("Caf\xff\xfe Oy");
  g_autofree char *controls = pd_duplicates_normalize_name ("Con\ttoso\r\n Ltd");
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GPtrArray) matches = NULL;

  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "caf"));
  g_assert_cmpstr (controls, ==, "con toso");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (long_name, "word%u ", i);
  pd_duplicates_add (index, 1, long_name->str, "x.onmicrosoft.com", NULL, NULL);
  pd_duplicates_add (index, 2, "\xff\xff", "", "", "");
  matches = pd_duplicates_find (index, long_name->str, NULL, NULL, NULL, 0, 0.5, 10);
  g_assert_cmpuint (matches->len, ==, 1);
  g_assert_cmpint (((PdDuplicateMatch *) g_ptr_array_index (matches, 0))->org_id, ==, 1);
}

static void
assert_domain (const char *input,
               const char *expected)
{
  g_autofree char *normalized = pd_duplicates_normalize_domain (input);

  g_assert_cmpstr (normalized, ==, expected);
}

static void
test_normalize_domain (void)
{
  assert_domain ("WWW.Contoso.com", "contoso.com");
  assert_domain ("contoso.onmicrosoft.com", "contoso.onmicrosoft.com");
  assert_domain ("https://www.contoso.com/about", "contoso.com");
  assert_domain ("billing@Contoso.com", "contoso.com");
  assert_domain (" contoso.com. ", "contoso.com");
  assert_domain ("CONTOSO.COM", "contoso.com");
  assert_domain ("Bücher.Example", "bücher.example");
  assert_domain (NULL, "");
}

static PdDuplicates *
sample_index (void)
{
  PdDuplicates *index = pd_duplicates_new ();

  pd_duplicates_add (index, 1, "Contoso Ltd.", "contoso.com", "T-1", "ERP-1");
  pd_duplicates_add (index, 2, "Müller GmbH", "mueller.de", "t-2", NULL);
  pd_duplicates_add (index, 3, "Fabrikam Oy", "fabrikam.onmicrosoft.com", "t-3", "ERP-3");
  pd_duplicates_add (index, 4, "Northwind Traders", "northwind.com", NULL, "ERP-4");
  pd_duplicates_add (index, 5, "Woodgrove Bank", "woodgrove.com", "t-5", NULL);
  return index;
}

static const PdDuplicateMatch *
find_match (GPtrArray *matches,
            gint64     org_id)
{
  for (guint i = 0; i < matches->len; i++)
    {
      const PdDuplicateMatch *m = g_ptr_array_index (matches, i);

      if (m->org_id == org_id)
        return m;
    }
  return NULL;
}

static void
test_find_reasons (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  g_autoptr(GPtrArray) by_name = NULL;
  g_autoptr(GPtrArray) by_accent = NULL;
  g_autoptr(GPtrArray) by_tenant = NULL;
  g_autoptr(GPtrArray) by_domain = NULL;
  g_autoptr(GPtrArray) by_erp = NULL;
  g_autoptr(GPtrArray) by_prefix = NULL;
  const PdDuplicateMatch *m;

  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);

  by_name = pd_duplicates_find (index, "contoso", NULL, NULL, NULL, 0, 0.5, 10);
  g_assert_cmpuint (by_name->len, ==, 1);
  m = g_ptr_array_index (by_name, 0);
  g_assert_cmpint (m->org_id, ==, 1);
  g_assert_cmpstr (m->name, ==, "Contoso Ltd.");
  g_assert_cmpstr (m->tenant_id, ==, "T-1");
  /* "contoso" and "Contoso Ltd." are one name once normalised: the same name, not similar. */
  g_assert_cmpuint (m->reasons, ==, PD_MATCH_SAME_NAME);
  {
    g_autofree char *said = pd_match_reasons_to_string (m->reasons);

    g_assert_cmpstr (said, ==, "same name");
  }
  g_assert_cmpfloat (m->score, >=, 0.85);

  by_accent = pd_duplicates_find (index, "Muller", NULL, NULL, NULL, 0, 0.5, 10);
  g_assert_nonnull (find_match (by_accent, 2));

  by_tenant = pd_duplicates_find (index, "Something else", NULL, "t-1", NULL, 0, 0.5, 10);
  g_assert_cmpuint (by_tenant->len, ==, 1);
  m = g_ptr_array_index (by_tenant, 0);
  g_assert_cmpint (m->org_id, ==, 1);
  g_assert_cmpuint (m->reasons, ==, PD_MATCH_SAME_TENANT);
  g_assert_cmpfloat (m->score, ==, 1.0);

  by_domain = pd_duplicates_find (index, NULL, "https://www.northwind.com/", NULL, NULL, 0, 0.5, 10);
  m = find_match (by_domain, 4);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->reasons, ==, PD_MATCH_SAME_DOMAIN);

  by_erp = pd_duplicates_find (index, NULL, NULL, NULL, " erp-3 ", 0, 0.5, 10);
  m = find_match (by_erp, 3);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->reasons, ==, PD_MATCH_SAME_ERP_ID);

  /* The onmicrosoft prefix counts as a name, both ways. */
  by_prefix = pd_duplicates_find (index, NULL, "contoso.onmicrosoft.com", NULL, NULL, 0, 0.5, 10);
  m = find_match (by_prefix, 1);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->reasons, ==, PD_MATCH_SIMILAR_NAME);
  {
    g_autoptr(GPtrArray) reverse = pd_duplicates_find (index, "FABRIKAM", NULL, NULL, NULL, 0,
                                                       0.5, 10);

    g_assert_nonnull (find_match (reverse, 3));
  }
}

static void
test_find_scoring (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  g_autoptr(GPtrArray) combined = NULL;
  g_autoptr(GPtrArray) excluded = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) typo = NULL;
  g_autoptr(GPtrArray) unrelated = NULL;
  const PdDuplicateMatch *first;

  pd_duplicates_add (index, 6, "Contoso Pharmaceuticals", "contoso-pharma.com", NULL, NULL);
  /* Name and ERP ID together score higher than the name alone; best first. */
  combined = pd_duplicates_find (index, "Contoso", NULL, NULL, "ERP-1", 0, 0.0, 10);
  first = g_ptr_array_index (combined, 0);
  g_assert_cmpint (first->org_id, ==, 1);
  g_assert_cmpuint (first->reasons, ==, PD_MATCH_SAME_NAME | PD_MATCH_SAME_ERP_ID);
  g_assert_cmpfloat (first->score, >, 0.95);
  g_assert_cmpfloat (first->score, <=, 1.0);
  g_assert_null (find_match (combined, 6));   /* one shared word is not enough */

  excluded = pd_duplicates_find (index, "Contoso", NULL, NULL, NULL, 1, 0.5, 10);
  g_assert_null (find_match (excluded, 1));

  pd_duplicates_add (index, 7, "Contoso", NULL, NULL, NULL);
  limited = pd_duplicates_find (index, "Contoso", NULL, NULL, NULL, 0, 0.5, 1);
  g_assert_cmpuint (limited->len, ==, 1);
  /* Same score: lower id first, deterministic. */
  g_assert_cmpint (((PdDuplicateMatch *) g_ptr_array_index (limited, 0))->org_id, ==, 1);

  typo = pd_duplicates_find (index, "Northwind Trader", NULL, NULL, NULL, 0, 0.5, 10);
  first = find_match (typo, 4);
  g_assert_nonnull (first);
  g_assert_cmpfloat (first->score, <, 0.9);

  unrelated = pd_duplicates_find (index, "Tailspin Toys", "tailspin.com", "t-9", "E-9", 0, 0.3,
                                  10);
  g_assert_cmpuint (unrelated->len, ==, 0);
}

static void
test_add_replace_remove (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  g_autoptr(GPtrArray) old_name = NULL;
  g_autoptr(GPtrArray) new_name = NULL;
  g_autoptr(GPtrArray) removed = NULL;

  /* Built with ids 1 to 5; what is added later (id 8 below) is not what it was built with. */
  g_assert_cmpint (pd_duplicates_get_built_up_to (index), ==, 5);
  /* Re-adding an id replaces its keys. */
  pd_duplicates_add (index, 1, "Litware Inc", "litware.com", "T-1", NULL);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);
  old_name = pd_duplicates_find (index, "Contoso", "contoso.com", NULL, "ERP-1", 0, 0.3, 10);
  g_assert_cmpuint (old_name->len, ==, 0);
  new_name = pd_duplicates_find (index, "Litware", NULL, NULL, NULL, 0, 0.5, 10);
  g_assert_nonnull (find_match (new_name, 1));

  pd_duplicates_remove (index, 1);
  pd_duplicates_remove (index, 1);
  pd_duplicates_remove (index, 999);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 4);
  removed = pd_duplicates_find (index, "Litware", NULL, "T-1", NULL, 0, 0.0, 10);
  g_assert_cmpuint (removed->len, ==, 0);

  /* The freed slot is reused without leaking the old entry's keys. */
  pd_duplicates_add (index, 8, "Litware", NULL, NULL, NULL);
  g_assert_cmpint (pd_duplicates_get_built_up_to (index), ==, 5);
  {
    g_autoptr(GPtrArray) again = pd_duplicates_find (index, "Litware", NULL, NULL, NULL, 0, 0.5,
                                                     10);

    g_assert_cmpuint (again->len, ==, 1);
    g_assert_cmpint (((PdDuplicateMatch *) g_ptr_array_index (again, 0))->org_id, ==, 8);
  }
}

/* Keys shared by several organizations survive the removal of the one whose string the index
 * uses as the key (ASan reports a use after free otherwise). */
static void
test_shared_keys_removal (void)
{
  g_autoptr(PdDuplicates) index = pd_duplicates_new ();

  for (gint64 id = 1; id <= 3; id++)
    pd_duplicates_add (index, id, "Contoso Ltd", "contoso.onmicrosoft.com", "T-1", "E-1");
  pd_duplicates_add (index, 4, "Contoso", NULL, NULL, NULL);
  for (gint64 removed = 1; removed <= 3; removed++)
    {
      g_autoptr(GPtrArray) matches = NULL;
      g_autoptr(GPtrArray) groups = NULL;
      guint expected = 3 - removed + 1;   /* the remaining copies, plus org 4 by name */

      pd_duplicates_remove (index, removed);
      matches = pd_duplicates_find (index, "Contoso Limited", "contoso.onmicrosoft.com", "t-1",
                                    "e-1", 0, 0.5, 0);
      g_assert_cmpuint (matches->len, ==, expected);
      for (guint i = 0; i < matches->len; i++)
        {
          PdDuplicateMatch *m = g_ptr_array_index (matches, i);

          g_assert_cmpint (m->org_id, >, removed);
          if (m->org_id != 4)
            g_assert_cmpuint (m->reasons, ==, PD_MATCH_SAME_TENANT | PD_MATCH_SAME_DOMAIN |
                              PD_MATCH_SAME_ERP_ID | PD_MATCH_SAME_NAME);
        }
      groups = pd_duplicates_find_groups (index, 0.5);
      g_assert_cmpuint (groups->len, ==, expected >= 2 ? 1 : 0);
      if (groups->len == 1)
        g_assert_cmpuint (((GArray *) g_ptr_array_index (groups, 0))->len, ==, expected);
    }
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 1);
}

static gboolean
group_is (GArray        *group,
          const gint64  *ids,
          guint          n_ids)
{
  if (group->len != n_ids)
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      if (g_array_index (group, gint64, i) != ids[i])
        return FALSE;
    }
  return TRUE;
}

static void
test_groups (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) strict = NULL;
  static const gint64 contoso[] = { 1, 10, 11 };
  static const gint64 muller[] = { 2, 12 };
  static const gint64 fabrikam[] = { 3, 13 };
  static const gint64 northwind[] = { 4, 14 };

  pd_duplicates_add (index, 10, "CONTOSO LIMITED", NULL, NULL, NULL);     /* same name */
  pd_duplicates_add (index, 11, "Other", NULL, "t-1", NULL);              /* same tenant */
  pd_duplicates_add (index, 12, "Muller", NULL, NULL, NULL);              /* accents */
  pd_duplicates_add (index, 13, "Something", "fabrikam.onmicrosoft.com", NULL, NULL);
  pd_duplicates_add (index, 14, "Northwind Trader", NULL, NULL, NULL);    /* similar */
  pd_duplicates_add (index, 15, "Tailspin Toys", NULL, NULL, NULL);

  groups = pd_duplicates_find_groups (index, 0.5);
  g_assert_cmpuint (groups->len, ==, 4);
  g_assert_true (group_is (g_ptr_array_index (groups, 0), contoso, G_N_ELEMENTS (contoso)));
  g_assert_true (group_is (g_ptr_array_index (groups, 1), muller, G_N_ELEMENTS (muller)));
  g_assert_true (group_is (g_ptr_array_index (groups, 2), fabrikam, G_N_ELEMENTS (fabrikam)));
  g_assert_true (group_is (g_ptr_array_index (groups, 3), northwind, G_N_ELEMENTS (northwind)));

  /* Only near-certain evidence: similar (not identical) names drop out. */
  strict = pd_duplicates_find_groups (index, 0.92);
  g_assert_cmpuint (strict->len, ==, 2);
}

/* The groups' similarity join (prefix filtering) must find exactly the pairs that a query per
 * organization finds: compare both partitions on names built from a small vocabulary, where
 * many names share trigrams. */
static GHashTable *
partition_from_groups (GPtrArray *groups)
{
  GHashTable *group_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < groups->len; i++)
    {
      GArray *group = g_ptr_array_index (groups, i);

      for (guint j = 0; j < group->len; j++)
        g_hash_table_insert (group_of, g_memdup2 (&g_array_index (group, gint64, j),
                                                  sizeof (gint64)),
                             GUINT_TO_POINTER (g_array_index (group, gint64, 0)));
    }
  return group_of;
}

static gint64
group_of (GHashTable *partition,
          gint64      id)
{
  gpointer root = g_hash_table_lookup (partition, &id);

  return root != NULL ? GPOINTER_TO_UINT (root) : -id;
}

static void
test_groups_match_queries (void)
{
  static const char * const vocabulary[] = {
    "Nord", "Nordic", "Data", "Dada", "Systems", "System", "Soft", "Sofa", "Ware", "Wear",
  };
  g_autoptr(PdDuplicates) index = pd_duplicates_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const double min_score = 0.6;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GHashTable) partition = NULL;
  guint n_pairs = 0;

  for (guint i = 0; i < 300; i++)
    {
      char *name = g_strdup_printf ("%s %s%s",
                                    vocabulary[g_rand_int_range (rand, 0, 10)],
                                    vocabulary[g_rand_int_range (rand, 0, 10)],
                                    g_rand_boolean (rand) ? " Oy" : "");

      g_ptr_array_add (names, name);
      pd_duplicates_add (index, i + 1, name, NULL, NULL, NULL);
    }
  groups = pd_duplicates_find_groups (index, min_score);
  partition = partition_from_groups (groups);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GPtrArray) matches = pd_duplicates_find (index, g_ptr_array_index (names, i),
                                                         NULL, NULL, NULL, i + 1, min_score, 0);

      /* Every pair a query finds is in one group... */
      for (guint j = 0; j < matches->len; j++)
        {
          PdDuplicateMatch *m = g_ptr_array_index (matches, j);

          g_assert_cmpint (group_of (partition, i + 1), ==, group_of (partition, m->org_id));
          n_pairs++;
        }
      /* ...and an organization alone in the index's view is in no group. */
      if (matches->len == 0)
        g_assert_cmpint (group_of (partition, i + 1), ==, -(gint64) (i + 1));
    }
  g_assert_cmpuint (n_pairs, >, 0);
}

static void
test_reasons_string (void)
{
  g_autofree char *both = pd_match_reasons_to_string (PD_MATCH_SAME_TENANT |
                                                      PD_MATCH_SIMILAR_NAME);
  g_autofree char *none = pd_match_reasons_to_string (0);

  g_autofree char *same = pd_match_reasons_to_string (PD_MATCH_SAME_DOMAIN | PD_MATCH_SAME_NAME);

  g_assert_cmpstr (both, ==, "same tenant, similar name");
  g_assert_cmpstr (same, ==, "same domain, same name");
  g_assert_cmpstr (none, ==, "");
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The ids in groups (GArray of gint64), sorted. */
static GArray *
ids_in_groups (GPtrArray *groups)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < groups->len; i++)
    {
      GArray *group = g_ptr_array_index (groups, i);

      g_array_append_vals (ids, group->data, group->len);
    }
  g_array_sort (ids, compare_ids);
  return ids;
}

static GArray *
ids_of (GPtrArray *organizations)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < organizations->len; i++)
    {
      gint64 id = pd_organization_get_id (g_ptr_array_index (organizations, i));

      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_ids);
  return ids;
}

/* The index of a store, grouped as `partner-desk-cli duplicates` groups it, holds exactly the
 * organizations the store flags for the list's "Possible duplicates" filter: a shared name and
 * a shared domain count, a similar name does not. */
static void
test_store_groups_match_filter (void)
{
  g_autofree char *dir = pd_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "partner-desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdStore) store = pd_store_open (path, &error);
  PdStoreQuery query = { .filter = PD_FILTER_DUPLICATES };
  g_autoptr(PdDuplicates) index = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) flagged = NULL;
  g_autoptr(GArray) grouped_ids = NULL;
  g_autoptr(GArray) flagged_ids = NULL;
  const char *orgs[][2] = {
    { "Contoso Ltd", "contoso.com" }, { "Contoso", "contoso.de" },
    { "Fabrikam Inc", "fabrikam.com" }, { "Fabrikam Europe", "fabrikam.com" },
    { "Northwind Traders", "northwind.com" }, { "Northwind Trader", "northwind.net" },
    { "Litware", "litware.com" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (orgs); i++)
    {
      pd_store_create_manual (store, orgs[i][0], orgs[i][1], "DE", NULL, &error);
      g_assert_no_error (error);
    }
  index = pd_duplicates_new_for_store (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, G_N_ELEMENTS (orgs));
  groups = pd_duplicates_find_groups (index, PD_DUPLICATES_GROUP_MIN_SCORE);
  flagged = pd_store_list (store, &query, &error);
  g_assert_no_error (error);
  grouped_ids = ids_in_groups (groups);
  flagged_ids = ids_of (flagged);
  g_assert_cmpuint (groups->len, ==, 2);
  g_assert_cmpuint (flagged_ids->len, ==, 4);
  g_assert_cmpmem (grouped_ids->data, grouped_ids->len * sizeof (gint64),
                   flagged_ids->data, flagged_ids->len * sizeof (gint64));
  g_clear_object (&store);
  pd_test_rm_rf (dir);
}

/* --- Base and overlay --------------------------------------------------------------------- */

/* At PD_DUPLICATES_GROUP_MIN_SCORE, index has one group: ids. */
static void
assert_one_group (PdDuplicates *index,
                  const gint64 *ids,
                  guint         n_ids)
{
  g_autoptr(GPtrArray) groups = pd_duplicates_find_groups (index, PD_DUPLICATES_GROUP_MIN_SCORE);

  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_true (group_is (g_ptr_array_index (groups, 0), ids, n_ids));
}

/* The ids a query finds, ascending. */
static GArray *
found_ids (PdDuplicates *index,
           const char   *name,
           const char   *domain,
           const char   *tenant_id,
           const char   *erp_id)
{
  g_autoptr(GPtrArray) matches = pd_duplicates_find (index, name, domain, tenant_id, erp_id, 0,
                                                     0.0, 0);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < matches->len; i++)
    g_array_append_val (ids, ((PdDuplicateMatch *) g_ptr_array_index (matches, i))->org_id);
  g_array_sort (ids, compare_ids);
  return ids;
}

static void
assert_finds (PdDuplicates *index,
              const char   *name,
              const char   *domain,
              const char   *tenant_id,
              const char   *erp_id,
              const gint64 *expected,
              guint         n_expected)
{
  g_autoptr(GArray) ids = found_ids (index, name, domain, tenant_id, erp_id);

  g_assert_cmpmem (ids->data, ids->len * sizeof (gint64), expected, n_expected * sizeof (gint64));
}

#define ASSERT_FINDS(index, name, domain, tenant, erp, ...) \
  assert_finds ((index), (name), (domain), (tenant), (erp), (const gint64[]) { __VA_ARGS__ }, \
                sizeof ((const gint64[]) { __VA_ARGS__ }) / sizeof (gint64))
#define ASSERT_FINDS_NONE(index, name, domain, tenant, erp) \
  assert_finds ((index), (name), (domain), (tenant), (erp), NULL, 0)

/* sample_index's organizations are in the base once it is read; what is added afterwards is
 * in the overlay, and both answer every kind of key, alone and together. */
static void
test_overlay_after_build (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  static const gint64 contoso[] = { 1, 20 };

  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);   /* freezes the base */
  pd_duplicates_add (index, 20, "Contoso Limited", "contoso.onmicrosoft.com", "t-20", "E-20");
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 6);

  ASSERT_FINDS (index, NULL, NULL, "T-20", NULL, 20);
  ASSERT_FINDS (index, NULL, NULL, "t-2", NULL, 2);          /* a base tenant */
  ASSERT_FINDS (index, NULL, "www.contoso.onmicrosoft.com", NULL, NULL, 1, 20);
  ASSERT_FINDS (index, NULL, NULL, NULL, "e-20", 20);
  ASSERT_FINDS (index, NULL, NULL, NULL, "ERP-3", 3);
  ASSERT_FINDS (index, "Contoso", NULL, NULL, NULL, 1, 20);   /* same name, base and overlay */
  assert_one_group (index, contoso, G_N_ELEMENTS (contoso));
}

/* A base organization replaced with other keys: the base's arrays still hold the old keys,
 * which must find nothing; removed, it is found by none; added again, by its keys. */
static void
test_overlay_replace_remove_base (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();
  g_autoptr(GPtrArray) groups = NULL;
  static const gint64 woodgrove[] = { 3, 5 };

  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);
  pd_duplicates_add (index, 3, "Woodgrove Bank Oy", "woodgrove.fi", "t-30", NULL);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);
  ASSERT_FINDS_NONE (index, "Fabrikam", NULL, NULL, NULL);
  ASSERT_FINDS_NONE (index, NULL, "fabrikam.onmicrosoft.com", NULL, NULL);
  ASSERT_FINDS_NONE (index, NULL, NULL, "t-3", "ERP-3");
  ASSERT_FINDS (index, "Woodgrove", NULL, NULL, NULL, 3, 5);
  ASSERT_FINDS (index, NULL, "woodgrove.fi", "T-30", NULL, 3);
  assert_one_group (index, woodgrove, G_N_ELEMENTS (woodgrove));

  /* A base organization removed: nothing of it is found, not even a similar name. */
  pd_duplicates_remove (index, 5);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 4);
  ASSERT_FINDS (index, "Woodgrove Bank", "woodgrove.com", "t-5", NULL, 3);
  groups = pd_duplicates_find_groups (index, 0.5);
  g_assert_cmpuint (groups->len, ==, 0);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* Added again, with its old keys. */
  pd_duplicates_add (index, 5, "Woodgrove Bank", "woodgrove.com", "t-5", NULL);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);
  ASSERT_FINDS (index, NULL, "woodgrove.com", NULL, NULL, 5);
  ASSERT_FINDS (index, NULL, NULL, "T-5", NULL, 5);
  assert_one_group (index, woodgrove, G_N_ELEMENTS (woodgrove));
}

/* An organization added twice before the first read is one organization, with the later
 * keys. */
static void
test_base_added_twice (void)
{
  g_autoptr(PdDuplicates) index = sample_index ();

  pd_duplicates_add (index, 2, "Litware", "litware.com", NULL, NULL);
  g_assert_cmpuint (pd_duplicates_get_size (index), ==, 5);
  ASSERT_FINDS_NONE (index, "Müller", "mueller.de", "t-2", NULL);
  ASSERT_FINDS (index, "Litware", "litware.com", NULL, NULL, 2);
}

/* The base keeps lower-case GUID tenants as 16 bytes: they come back as given, and other
 * texts (upper case, almost a GUID) are kept as they are. */
static void
test_base_tenant_guids (void)
{
  static const char * const tenants[] = {
    "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
    "0A1B2C3D-4E5F-6789-ABCD-EF0123456780",
    "0a1b2c3d-4e5f-6789-abcd-ef012345678",
    "0a1b2c3d+4e5f-6789-abcd-ef0123456789",
  };
  g_autoptr(PdDuplicates) index = pd_duplicates_new ();

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    pd_duplicates_add (index, i + 1, "Org", NULL, tenants[i], NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      g_autofree char *upper = g_ascii_strup (tenants[i], -1);
      g_autoptr(GPtrArray) matches = pd_duplicates_find (index, NULL, NULL, upper, NULL, 0,
                                                         0.0, 0);
      PdDuplicateMatch *match;

      g_assert_cmpuint (matches->len, ==, 1);
      match = g_ptr_array_index (matches, 0);
      g_assert_cmpint (match->org_id, ==, i + 1);
      g_assert_cmpstr (match->tenant_id, ==, tenants[i]);
    }
}

/* Builds one index of names from a small vocabulary: the first `in_base` in the base, the rest
 * added after it is frozen (in the overlay), a few replaced and removed after that. */
static PdDuplicates *
mixed_index (guint in_base)
{
  static const char * const words[] = {
    "Nord", "Nordic", "Data", "Dada", "Soft", "Sofa", "Ware", "Contoso",
  };
  PdDuplicates *index = pd_duplicates_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", words[g_rand_int_range (rand, 0, 8)],
                                               words[g_rand_int_range (rand, 0, 8)]);
      g_autofree char *domain = g_strdup_printf ("d%u.onmicrosoft.com",
                                                 g_rand_int_range (rand, 0, 1000));
      g_autofree char *tenant = g_strdup_printf ("t-%u", g_rand_int_range (rand, 0, 2000));

      /* Some names equal other organizations' onmicrosoft prefixes. */
      if (i % 13 == 0)
        {
          g_free (name);
          name = g_strdup_printf ("D%u", g_rand_int_range (rand, 0, 100));
        }

      if (i == in_base)
        pd_duplicates_get_size (index);
      pd_duplicates_add (index, i + 1, name, domain, tenant, i % 7 == 0 ? "E" : NULL);
    }
  pd_duplicates_get_size (index);
  for (gint64 id = 1; id <= 200; id += 17)
    pd_duplicates_remove (index, id);
  for (gint64 id = 5; id <= 200; id += 23)
    pd_duplicates_add (index, id, "Dada Nord", "d1.onmicrosoft.com", NULL, NULL);
  return index;
}

static void
assert_same_groups (GPtrArray *a,
                    GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      GArray *x = g_ptr_array_index (a, i);
      GArray *y = g_ptr_array_index (b, i);

      g_assert_cmpmem (x->data, x->len * sizeof (gint64), y->data, y->len * sizeof (gint64));
    }
}

/* Whatever part is in the base and what in the overlay, an index answers alike. */
static void
test_base_overlay_agree (void)
{
  static const char * const queries[] = { "Nord Data", "Dada", "Sofa Ware Oy", "Contoso" };
  g_autoptr(PdDuplicates) base = mixed_index (200);
  g_autoptr(PdDuplicates) half = mixed_index (100);
  g_autoptr(PdDuplicates) overlay = mixed_index (0);
  PdDuplicates *indexes[] = { base, half, overlay };
  g_autoptr(GPtrArray) expected_groups = pd_duplicates_find_groups (base, 0.6);
  g_autoptr(GPtrArray) expected_strict = pd_duplicates_find_groups (base, 0.9);

  g_assert_cmpuint (expected_strict->len, >, 3);
  for (guint k = 1; k < G_N_ELEMENTS (indexes); k++)
    {
      g_autoptr(GPtrArray) groups = pd_duplicates_find_groups (indexes[k], 0.6);
      g_autoptr(GPtrArray) strict = pd_duplicates_find_groups (indexes[k], 0.9);

      g_assert_cmpuint (pd_duplicates_get_size (indexes[k]), ==,
                        pd_duplicates_get_size (base));
      assert_same_groups (expected_groups, groups);
      assert_same_groups (expected_strict, strict);
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autofree char *domain = g_strdup_printf ("d%u.onmicrosoft.com", q);
          g_autofree char *tenant = g_strdup_printf ("t-%u", q * 3);
          g_autoptr(GPtrArray) expected = pd_duplicates_find (base, queries[q], domain, tenant,
                                                              "e", 0, 0.0, 0);
          g_autoptr(GPtrArray) found = pd_duplicates_find (indexes[k], queries[q], domain,
                                                           tenant, "e", 0, 0.0, 0);

          g_assert_cmpuint (found->len, ==, expected->len);
          for (guint i = 0; i < found->len; i++)
            {
              PdDuplicateMatch *x = g_ptr_array_index (expected, i);
              PdDuplicateMatch *y = g_ptr_array_index (found, i);

              g_assert_cmpint (x->org_id, ==, y->org_id);
              g_assert_cmpuint (x->reasons, ==, y->reasons);
              g_assert_cmpfloat_with_epsilon (x->score, y->score, 1e-9);
            }
        }
    }
}

/* The base finds keys by hash; with every hash equal (a test hook), only the real keys may
 * match, and groups join only organizations sharing one. */
static void
test_hash_collisions (void)
{
  g_autoptr(PdDuplicates) index = NULL;
  static const gint64 contoso[] = { 1, 6 };

  _pd_dup_set_hash_mask (0);
  index = sample_index ();
  pd_duplicates_add (index, 6, "Contoso", "contoso.com", NULL, NULL);
  ASSERT_FINDS (index, NULL, NULL, "t-2", NULL, 2);
  ASSERT_FINDS (index, NULL, "fabrikam.onmicrosoft.com", NULL, NULL, 3);
  ASSERT_FINDS (index, NULL, NULL, NULL, "erp-4", 4);
  ASSERT_FINDS (index, NULL, "northwindtraders.onmicrosoft.com", NULL, NULL, 4);  /* prefix */
  ASSERT_FINDS_NONE (index, NULL, "litware.com", "t-9", "erp-9");
  assert_one_group (index, contoso, G_N_ELEMENTS (contoso));
  _pd_dup_set_hash_mask (G_MAXUINT32);
}

int
main (int argc, char *argv[])
{
  pd_test_init (&argc, &argv);

  g_test_add_func ("/duplicates/normalize-name", test_normalize_name);
  g_test_add_func ("/duplicates/normalize-domain", test_normalize_domain);
  g_test_add_func ("/duplicates/hostile-input", test_hostile_input);
  g_test_add_func ("/duplicates/find-reasons", test_find_reasons);
  g_test_add_func ("/duplicates/find-scoring", test_find_scoring);
  g_test_add_func ("/duplicates/add-replace-remove", test_add_replace_remove);
  g_test_add_func ("/duplicates/shared-keys-removal", test_shared_keys_removal);
  g_test_add_func ("/duplicates/groups", test_groups);
  g_test_add_func ("/duplicates/groups-match-queries", test_groups_match_queries);
  g_test_add_func ("/duplicates/reasons-string", test_reasons_string);
  g_test_add_func ("/duplicates/store-groups-match-filter", test_store_groups_match_filter);
  g_test_add_func ("/duplicates/overlay-after-build", test_overlay_after_build);
  g_test_add_func ("/duplicates/overlay-replace-remove-base", test_overlay_replace_remove_base);
  g_test_add_func ("/duplicates/base-added-twice", test_base_added_twice);
  g_test_add_func ("/duplicates/base-tenant-guids", test_base_tenant_guids);
  g_test_add_func ("/duplicates/base-overlay-agree", test_base_overlay_agree);
  g_test_add_func ("/duplicates/hash-collisions", test_hash_collisions);

  return g_test_run ();
}
