/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-duplicates.c — the duplicate index at the app's scale.
 *
 * Builds an index of 100,000 generated organizations (deterministic seed: words, legal
 * suffixes, countries, domains, tenants, ERP IDs), then times 1,000 queries as the "new
 * organization" dialog makes them (typos, other legal forms, new names), and one
 * find_groups() pass. Prints a table and BENCH lines (format: tests/bench/meson.build).
 *
 * Usage: bench-duplicates [N_ORGANIZATIONS [N_QUERIES]]
 */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "pd-duplicates-private.h"
#include "pd-test-util.h"

#define SEED 20261124

static const char * const words[] = {
  "Contoso", "Fabrikam", "Northwind", "Woodgrove", "Litware", "Adatum", "Tailspin", "Wingtip",
  "Proseware", "Lucerne", "Fourth", "Coffee", "Alpine", "Ski", "Blue", "Yonder", "Graphic",
  "Design", "Humongous", "Insurance", "Margie", "Travel", "Trey", "Research", "Wide", "World",
  "Importers", "Consolidated", "Messenger", "Southridge", "Video", "City", "Power", "Light",
  "Nordic", "Baltic", "Arctic", "Global", "Data", "Systems", "Solutions", "Consulting",
  "Logistics", "Engineering", "Partners", "Holding", "Capital", "Finance", "Health", "Care",
  "Medical", "Pharma", "Energy", "Solar", "Wind", "Marine", "Shipping", "Foods", "Bakery",
  "Dairy", "Farms", "Textiles", "Fashion", "Media", "Studio", "Print", "Books", "Software",
  "Cloud", "Networks", "Telecom", "Security", "Analytics", "Robotics", "Motors", "Auto",
  "Parts", "Steel", "Metal", "Wood", "Paper", "Packaging", "Chemicals", "Plastics", "Glass",
  "Construction", "Building", "Property", "Estates", "Hotels", "Restaurants", "Retail",
  "Trading", "Import", "Export", "Supply", "Services", "Facility", "Cleaning", "Legal",
  "Accounting", "Audit", "Tax", "Insight", "Vision", "Horizon", "Summit", "Peak", "River",
  "Lake", "Forest", "Stone", "Bridge", "Harbor", "Valley", "North", "South", "East", "West",
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Virtanen", "Korhonen",
  "Nieminen", "Mäkinen", "Hansen", "Johansen", "Olsen", "Larsen", "Andersson", "Johansson",
  "Karlsson", "Nilsson", "Dubois", "Lefèvre", "Moreau", "Rossi", "Russo", "Ferrari", "García",
  "Martínez", "López", "Kowalski", "Nowak", "Novák", "Horváth", "Nagy", "Popescu", "Ivanov",
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
  "Tanaka", "Suzuki", "Kim", "Park", "Singh", "Sharma", "Patel", "Silva", "Santos", "Costa",
  "Aurora", "Polar", "Zenith", "Vertex", "Quantum", "Nova", "Orbit", "Pioneer", "Frontier",
  "Atlas", "Titan", "Phoenix", "Falcon", "Eagle", "Lion", "Bear", "Wolf", "Fox", "Oak", "Pine",
  "Birch", "Maple", "Cedar", "Willow", "Green", "Red", "Silver", "Golden", "Crystal", "Diamond",
};

static const char * const suffixes[] = {
  "Ltd", "Ltd.", "Limited", "Oy", "Oyj", "AB", "AS", "ASA", "A/S", "ApS", "GmbH", "AG", "KG",
  "GmbH & Co. KG", "Inc.", "LLC", "LLP", "Corp.", "Corporation", "S.A.", "SA", "S.L.", "B.V.",
  "N.V.", "SARL", "SAS", "S.p.A.", "S.r.l.", "Pty Ltd", "PLC", "Kft.", "Sp. z o.o.", "s.r.o.",
  "", "", "", "",
};

static const char * const countries[] = {
  "Finland", "Sweden", "Norway", "Denmark", "Germany", "Austria", "France", "Italy", "Spain",
  "Poland", "UK", "Ireland", "USA", "Canada", "Brazil", "India", "Japan", "Australia",
};

/* Strings live in two chunks, not one allocation each: at a million organizations the
 * harness would otherwise take a quarter of a gigabyte of its own (GString capacity and
 * malloc headers), which the peak memory figure would charge to the index. */
typedef struct {
  const char *name;     /* in names */
  const char *domain;   /* in keys, freed once the index is built */
  const char *tenant;
  const char *erp;
} Org;

static const char *
pick (GRand              *rand,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (rand, 0, n)];
}

#define PICK(rand, list) pick ((rand), (list), G_N_ELEMENTS (list))

static char *
make_name (GRand *rand)
{
  GString *name = g_string_new (PICK (rand, words));
  guint n_words = g_rand_int_range (rand, 1, 4);
  const char *suffix = PICK (rand, suffixes);

  for (guint i = 1; i < n_words; i++)
    g_string_append_printf (name, " %s", PICK (rand, words));
  if (g_rand_int_range (rand, 0, 4) == 0)
    g_string_append_printf (name, " %s", PICK (rand, countries));
  if (*suffix != '\0')
    g_string_append_printf (name, " %s", suffix);
  return g_string_free (name, FALSE);
}

static char *
make_domain (GRand      *rand,
             const char *name,
             guint       i)
{
  g_autofree char *normalized = pd_duplicates_normalize_name (name);
  g_autofree char *compact = g_strdelimit (g_strdup (normalized), " ", '-');
  const char *tld = g_rand_boolean (rand) ? "onmicrosoft.com" : "com";

  return g_strdup_printf ("%s%u.%s", compact, i, tld);
}

/* Copies text into chunk and frees it. */
static const char *
chunk_take (GStringChunk *chunk,
            char         *text)
{
  const char *copy = text != NULL ? g_string_chunk_insert (chunk, text) : NULL;

  g_free (text);
  return copy;
}

static void
make_orgs (Org          *orgs,
           guint         n,
           GRand        *rand,
           GStringChunk *names,
           GStringChunk *keys)
{
  for (guint i = 0; i < n; i++)
    {
      char *tenant;

      orgs[i].name = chunk_take (names, make_name (rand));
      orgs[i].domain = chunk_take (keys, make_domain (rand, orgs[i].name, i));
      tenant = g_strdup_printf ("%08x-0000-4000-8000-%012x", g_rand_int (rand), i);
      orgs[i].tenant = chunk_take (keys, tenant);
      orgs[i].erp = chunk_take (keys, g_rand_int_range (rand, 0, 3) == 0
                                      ? NULL : g_strdup_printf ("C%06u", i));
    }
}

/* A typo: one letter dropped, doubled or changed. */
static char *
typo (GRand      *rand,
      const char *name)
{
  GString *out = g_string_new (name);
  guint pos = g_rand_int_range (rand, 1, MAX (2, (int) out->len - 1));

  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0: g_string_erase (out, pos, 1); break;
    case 1: g_string_insert_c (out, pos, out->str[pos]); break;
    default: out->str[pos] = 'x'; break;
    }
  return g_string_free (out, FALSE);
}

/* What a user types into the new-organization dialog: a known customer with another legal
 * form or a typo, or a new name. */
static char *
make_query (GRand *rand,
            Org   *orgs,
            guint  n_orgs)
{
  const Org *org = &orgs[g_rand_int_range (rand, 0, n_orgs)];
  g_autofree char *base = pd_duplicates_normalize_name (org->name);

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0: return g_strdup_printf ("%s %s", base, PICK (rand, suffixes));
    case 1: return typo (rand, org->name);
    case 2: return g_utf8_strup (org->name, -1);
    default: return make_name (rand);
    }
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* CPU time as well as wall time: the benchmark often shares its cores with other work. */
static double
cpu_ms_since (clock_t start)
{
  return (clock () - start) * 1000.0 / CLOCKS_PER_SEC;
}

int
main (int argc, char *argv[])
{
  guint n_orgs = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 100000;
  guint n_queries = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 1000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(PdDuplicates) index = pd_duplicates_new ();
  g_autoptr(GPtrArray) groups = NULL;
  Org *orgs = g_new0 (Org, MAX (n_orgs, 1));
  GStringChunk *names = g_string_chunk_new (1 << 20);
  GStringChunk *keys = g_string_chunk_new (1 << 20);
  double *times = g_new0 (double, MAX (n_queries, 1));
  double build_ms, groups_ms, build_cpu_ms, groups_cpu_ms, median, p95, max, total = 0;
  double rss_before, index_mb, groups_peak_mb;
  guint n_matches = 0;
  gint64 start;
  clock_t cpu_start;

  n_orgs = MAX (n_orgs, 1);
  n_queries = MAX (n_queries, 1);
  make_orgs (orgs, n_orgs, rand, names, keys);

  rss_before = pd_test_status_mb ("VmRSS");
  start = g_get_monotonic_time ();
  cpu_start = clock ();
  for (guint i = 0; i < n_orgs; i++)
    pd_duplicates_add (index, i + 1, orgs[i].name, orgs[i].domain, orgs[i].tenant, orgs[i].erp);
  /* As pd_duplicates_new_for_store does: the build ends with the base's freeze. */
  _pd_dup_index_ensure_frozen (index);
  build_ms = ms_since (start);
  build_cpu_ms = cpu_ms_since (cpu_start);
  index_mb = pd_test_status_mb ("VmRSS") - rss_before;
  g_string_chunk_free (keys);

  for (guint q = 0; q < n_queries; q++)
    {
      g_autofree char *name = make_query (rand, orgs, n_orgs);
      g_autoptr(GPtrArray) matches = NULL;

      start = g_get_monotonic_time ();
      matches = pd_duplicates_find (index, name, NULL, NULL, NULL, 0, 0.5, 20);
      times[q] = ms_since (start);
      total += times[q];
      n_matches += matches->len;
    }
  qsort (times, n_queries, sizeof (double), compare_double);
  median = times[n_queries / 2];
  p95 = times[MIN (n_queries - 1, (guint) (n_queries * 0.95))];
  max = times[n_queries - 1];

  start = g_get_monotonic_time ();
  cpu_start = clock ();
  groups = pd_duplicates_find_groups (index, 0.8);
  groups_ms = ms_since (start);
  groups_cpu_ms = cpu_ms_since (cpu_start);
  groups_peak_mb = pd_test_status_mb ("VmHWM");

  g_print ("%-34s %12s\n", "figure", "value");
  g_print ("%-34s %12u\n", "organizations indexed", pd_duplicates_get_size (index));
  g_print ("%-34s %12u\n", "queries", n_queries);
  g_print ("%-34s %12.1f\n", "build index (ms)", build_ms);
  g_print ("%-34s %12.1f\n", "build index, CPU time (ms)", build_cpu_ms);
  g_print ("%-34s %12.3f\n", "query median (ms)", median);
  g_print ("%-34s %12.3f\n", "query p95 (ms)", p95);
  g_print ("%-34s %12.3f\n", "query max (ms)", max);
  g_print ("%-34s %12.3f\n", "query mean (ms)", total / n_queries);
  g_print ("%-34s %12.2f\n", "matches per query (mean)", (double) n_matches / n_queries);
  g_print ("%-34s %12.1f\n", "find_groups(0.8) (ms)", groups_ms);
  g_print ("%-34s %12.1f\n", "find_groups(0.8), CPU time (ms)", groups_cpu_ms);
  g_print ("%-34s %12u\n", "groups found", groups->len);
  /* Memory, from /proc: what building the index added to the resident set, and the peak. */
  g_print ("%-34s %12.1f\n", "index built, RSS growth (MB)", index_mb);
  g_print ("%-34s %12.1f\n", "peak RSS (MB)", groups_peak_mb);
  g_print ("BENCH duplicates_query_median_ms %.3f ms target=<20\n", median);
  g_print ("BENCH duplicates_query_p95_ms %.3f ms target=<50\n", p95);
  g_print ("BENCH duplicates_build_ms %.1f ms target=<5000\n", build_ms);
  g_print ("BENCH duplicates_groups_ms %.1f ms target=<5000\n", groups_ms);

  g_string_chunk_free (names);
  g_free (orgs);
  g_free (times);
  /* A figure, not a timed test (design.md §5): the BENCH lines carry the verdict. */
  return EXIT_SUCCESS;
}
