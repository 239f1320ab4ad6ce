/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-data.c — the seeded generator and the mutations; see pd-sim-data.h. */
#include "pd-sim-data.h"

#include <string.h>

#include "pd-sim-countries.h"
#include "pd-sim-json.h"

#define INCOMPLETE_RATE     0.10
#define NEAR_DUPLICATE_RATE 0.02
#define RESELLER_SHARE      0.35
#define CUSTOM_DOMAIN_RATE  0.60
#define HISTORY_DAYS        (3 * 365)
#define AUDIT_DAYS          90

/* ---- PRNG ---------------------------------------------------------------------------- */

void
pd_sim_rng_init (PdSimRng *rng, guint64 seed)
{
  rng->state = seed ^ G_GUINT64_CONSTANT (0x5851f42d4c957f2d);
}

guint64
pd_sim_rng_next (PdSimRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

guint
pd_sim_rng_below (PdSimRng *rng, guint n)
{
  return (guint) (pd_sim_rng_next (rng) % n);
}

double
pd_sim_rng_double (PdSimRng *rng)
{
  return (double) (pd_sim_rng_next (rng) >> 11) / (double) (G_GUINT64_CONSTANT (1) << 53);
}

char *
pd_sim_rng_guid (PdSimRng *rng)
{
  static const char hex[] = "0123456789abcdef";
  guint64 a = pd_sim_rng_next (rng);
  guint64 b = pd_sim_rng_next (rng);
  char *out = g_malloc (37);
  guint k = 0;

  /* Version 4 / variant 1 bits, so that strict GUID parsers accept them. Written by hand:
   * printf is the generator's hot spot at 100,000 customers. */
  a = (a & ~G_GUINT64_CONSTANT (0xf000)) | G_GUINT64_CONSTANT (0x4000);
  b = (b & ~(G_GUINT64_CONSTANT (0xc) << 60)) | (G_GUINT64_CONSTANT (0x8) << 60);
  for (guint i = 0; i < 32; i++)
    {
      guint64 word = i < 16 ? a : b;
      guint shift = (15 - i % 16) * 4;
      if (i == 8 || i == 12 || i == 16 || i == 20)
        out[k++] = '-';
      out[k++] = hex[(word >> shift) & 0xf];
    }
  out[k] = '\0';
  return out;
}

/* ---- Field keys ---------------------------------------------------------------------- */

static const char * const bill_keys[PD_SIM_BILL_N] = {
  "firstName", "lastName", "email", "culture", "language", "companyName",
  "country", "region", "city", "state", "addressLine1", "addressLine2", "postalCode",
  "firstName", "lastName", "phoneNumber",
};

const char *
pd_sim_bill_key (PdSimBillField field)
{
  g_return_val_if_fail (field < PD_SIM_BILL_N, NULL);
  return bill_keys[field];
}

/* ---- Country material, split once per data set ----------------------------------------- */

typedef struct {
  char **items;
  guint  n;
} List;

typedef struct {
  const PdSimCountry *country;
  List surnames, company_surnames, first_names, trades, suffixes, templates, cities, streets;
  List cities_only;     /* the names of `cities` */
  List places;
  char **postal_codes;  /* of `cities`, by index */
  char **states;        /* of `cities`, by index; NULL entries where none */
} CountryLists;

struct _PdSimData
{
  PdSimRng      rng;           /* the generator stream; adds continue it */
  PdSimRng      etag_rng;
  CountryLists *lists;
  guint         n_lists;
  guint         total_weight;
  GPtrArray    *customers;     /* PdSimCustomer*, ascending seq */
  GHashTable   *by_id;         /* borrowed id → PdSimCustomer* */
  GPtrArray    *resellers;
  GPtrArray    *audit;
  GHashTable   *names;         /* case-folded names in use */
  GHashTable   *slugs;         /* domain labels in use */
  GHashTable   *slug_numbers;  /* slug base → numbers used so far */
  guint         name_counter;
  char         *partner_tenant_id;
  char         *partner_domain;
  guint64       next_seq;
  guint64       next_audit_seq;
  gint64        last_audit_us;
  guint         generation;
};

static void
list_init (List *list, const char *text)
{
  const char *separator = strchr (text, '|') != NULL ? "|" : " ";

  list->items = g_strsplit (text, separator, -1);
  list->n = g_strv_length (list->items);
}

static const char *
list_pick (const List *list, PdSimRng *rng)
{
  return list->items[pd_sim_rng_below (rng, list->n)];
}

static void
lists_init (PdSimData *data)
{
  data->n_lists = pd_sim_countries_count ();
  data->lists = g_new0 (CountryLists, data->n_lists);
  for (guint i = 0; i < data->n_lists; i++)
    {
      const PdSimCountry *c = pd_sim_countries_get (i);
      CountryLists *l = &data->lists[i];

      l->country = c;
      list_init (&l->surnames, c->surnames);
      list_init (&l->company_surnames, c->company_surnames ? c->company_surnames : c->surnames);
      list_init (&l->first_names, c->first_names);
      list_init (&l->trades, c->trades);
      list_init (&l->suffixes, c->suffixes);
      list_init (&l->templates, c->templates);
      list_init (&l->cities, c->cities);
      list_init (&l->streets, c->streets);
      /* Only templates with {P} read places; the surnames stand in where there are none. */
      list_init (&l->places, c->places != NULL ? c->places : c->surnames);
      l->cities_only.n = l->cities.n;
      l->cities_only.items = g_new0 (char *, l->cities.n + 1);
      l->postal_codes = g_new0 (char *, l->cities.n);
      l->states = g_new0 (char *, l->cities.n);
      for (guint j = 0; j < l->cities.n; j++)
        {
          g_auto(GStrv) parts = g_strsplit (l->cities.items[j], ";", 3);
          l->cities_only.items[j] = g_strdup (parts[0]);
          l->postal_codes[j] = g_strdup (parts[1]);
          l->states[j] = parts[1] != NULL ? g_strdup (parts[2]) : NULL;
        }
      data->total_weight += c->weight;
    }
}

static void
lists_free (PdSimData *data)
{
  for (guint i = 0; i < data->n_lists; i++)
    {
      CountryLists *l = &data->lists[i];
      List *all[] = { &l->surnames, &l->company_surnames, &l->first_names, &l->trades,
                      &l->suffixes, &l->templates, &l->cities, &l->streets,
                      &l->cities_only, &l->places };

      for (guint j = 0; j < G_N_ELEMENTS (all); j++)
        g_strfreev (all[j]->items);
      for (guint j = 0; j < l->cities.n; j++)
        {
          g_free (l->postal_codes[j]);
          g_free (l->states[j]);
        }
      g_free (l->postal_codes);
      g_free (l->states);
    }
  g_free (data->lists);
}

static CountryLists *
pick_country (PdSimData *data, PdSimRng *rng)
{
  guint ticket = pd_sim_rng_below (rng, data->total_weight);

  for (guint i = 0; i < data->n_lists; i++)
    {
      if (ticket < data->lists[i].country->weight)
        return &data->lists[i];
      ticket -= data->lists[i].country->weight;
    }
  return &data->lists[0];
}

static CountryLists *
lists_for_country (PdSimData *data, const char *iso2)
{
  for (guint i = 0; i < data->n_lists; i++)
    if (g_strcmp0 (data->lists[i].country->info.iso2, iso2) == 0)
      return &data->lists[i];
  return &data->lists[0];
}

/* ---- Names and domains --------------------------------------------------------------- */

static char *
expand_template (CountryLists *l, PdSimRng *rng, const char *template, const char *city)
{
  GString *out = g_string_sized_new (64);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (*p != '{')
        {
          g_string_append_c (out, *p);
          continue;
        }
      switch (p[1])
        {
        case 'S': g_string_append (out, list_pick (&l->company_surnames, rng)); break;
        case 'T': g_string_append (out, list_pick (&l->trades, rng)); break;
        case 'C': g_string_append (out, city); break;
        case 'P': g_string_append (out, list_pick (&l->places, rng)); break;
        case 'X': g_string_append (out, list_pick (&l->suffixes, rng)); break;
        default: break;
        }
      p = strchr (p, '}');
    }
  return g_string_free (out, FALSE);
}

/* Length of the legal-form suffix `name` ends with (including the space), 0 if none. */
static gsize
suffix_length (const CountryLists *l, const char *name)
{
  gsize name_len = strlen (name), best = 0;

  for (guint i = 0; i < l->suffixes.n; i++)
    {
      gsize len = strlen (l->suffixes.items[i]);
      if (len + 1 < name_len && len + 1 > best && name[name_len - len - 1] == ' '
          && strcmp (name + name_len - len, l->suffixes.items[i]) == 0)
        best = len + 1;
    }
  return best;
}

/* Case-folded letters and digits of the name without its legal form: two names with the
 * same key read as the same company. */
static char *
name_key (const CountryLists *l, const char *name)
{
  g_autofree char *stem = g_strndup (name, strlen (name) - suffix_length (l, name));
  g_autofree char *folded = g_utf8_casefold (stem, -1);
  GString *key = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || (guchar) *p >= 0x80)
      g_string_append_c (key, *p);
  return g_string_free (key, FALSE);
}

char *
pd_sim_name_key (const char *name, const char *iso2)
{
  const CountryLists *l = NULL;
  static CountryLists *all;
  static gsize initialised;

  /* Split lists once for the process; they are static data. */
  if (g_once_init_enter (&initialised))
    {
      PdSimData scratch = { 0 };
      lists_init (&scratch);
      all = scratch.lists;
      g_once_init_leave (&initialised, 1);
    }
  for (guint i = 0; i < pd_sim_countries_count (); i++)
    if (g_strcmp0 (all[i].country->info.iso2, iso2) == 0)
      l = &all[i];
  return l != NULL ? name_key (l, name) : g_utf8_casefold (name, -1);
}

/* A fresh company name whose key no other customer has (accidental near-duplicates would
 * spoil the intended 2 %); after a few tries the city and a number make it so. */
static char *
generate_name (PdSimData *data, CountryLists *l, PdSimRng *rng, const char *city)
{
  for (guint attempt = 0; ; attempt++)
    {
      const char *template = list_pick (&l->templates, rng);
      char *name = expand_template (l, rng, template, city);

      if (attempt >= 2)
        {
          /* Branches get their city in the name ("Müller Bau Leipzig GmbH"); a number
           * settles it after that. */
          gsize cut = strlen (name) - suffix_length (l, name);
          char *longer = attempt < 4
            ? g_strdup_printf ("%.*s %s%s", (int) cut, name, list_pick (&l->cities_only, rng),
                               name + cut)
            : g_strdup_printf ("%.*s %u%s", (int) cut, name, ++data->name_counter, name + cut);
          g_free (name);
          name = longer;
        }
      /* Generated names have consistent case: the stem itself is key enough (and cheaper
       * than case folding at 100,000 customers). */
      char *key = g_strndup (name, strlen (name) - suffix_length (l, name));
      if (!g_hash_table_contains (data->names, key))
        {
          g_hash_table_add (data->names, key);
          return name;
        }
      g_free (key);
      g_free (name);
    }
}

/* The same company written differently: other legal form, none, upper case, hyphens, a
 * comma before the legal form. */
static char *
near_duplicate_name (CountryLists *l, PdSimRng *rng, const char *original)
{
  gsize stem_len = strlen (original) - suffix_length (l, original);
  g_autofree char *stem = g_strndup (original, stem_len);
  const char *suffix = original + stem_len; /* "" or " GmbH" */

  switch (pd_sim_rng_below (rng, 5))
    {
    case 0:
      return g_utf8_strup (original, -1);
    case 1:
      return g_strdup_printf ("%s %s", stem, list_pick (&l->suffixes, rng));
    case 2:
      return *suffix != '\0' ? g_strdup (stem)
                             : g_strdup_printf ("%s %s", stem, l->suffixes.items[0]);
    case 3:
      return g_strconcat (g_strdelimit (stem, " ", '-'), suffix, NULL);
    default:
      return *suffix != '\0' ? g_strdup_printf ("%s,%s", stem, suffix)
                             : g_strdup_printf ("%s.", original);
    }
}

/* Lower-case ASCII letters and digits of `text`, at most max_len of them. */
static char *
slugify (const char *text, gsize max_len, char separator)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_sized_new (max_len + 1);
  gboolean pending_separator = FALSE;

  for (const char *p = ascii; *p != '\0' && out->len < max_len; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (pending_separator && separator != '\0' && out->len > 0)
            g_string_append_c (out, separator);
          pending_separator = FALSE;
          g_string_append_c (out, g_ascii_tolower (*p));
        }
      else
        pending_separator = TRUE;
    }
  if (out->len == 0)
    g_string_append (out, "company");
  return g_string_free (out, FALSE);
}

/* A domain label no other customer has; the set keeps its own copy. */
static char *
unique_slug (PdSimData *data, const char *stem)
{
  char *base = slugify (stem, 24, '\0');
  /* The last number given to this base: probing from 2 each time would be quadratic. */
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (data->slug_numbers, base));

  for (;; n++)
    {
      char *slug = n == 0 ? g_strdup (base) : g_strdup_printf ("%s%u", base, n + 1);
      if (!g_hash_table_contains (data->slugs, slug))
        {
          g_hash_table_add (data->slugs, slug);
          g_hash_table_insert (data->slug_numbers, base, GUINT_TO_POINTER (n + 1));
          return g_strdup (slug);
        }
      g_free (slug);
    }
}

/* ---- Customers ----------------------------------------------------------------------- */

static void
customer_free (PdSimCustomer *c)
{
  g_free (c->id);
  g_free (c->commerce_id);
  g_free (c->domain);
  g_free (c->custom_domain);
  g_free (c->reseller_id);
  g_free (c->also_resold_by);
  g_free (c->profile_id);
  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    g_free (c->bill[f]);
  g_free (c);
}

static char *
random_digits (PdSimRng *rng, const char *format)
{
  char *out = g_strdup (format);

  for (char *p = out; *p != '\0'; p++)
    if (*p == '#')
      *p = (char) ('0' + pd_sim_rng_below (rng, 10));
  return out;
}

static char *
street_address (const CountryLists *l, PdSimRng *rng)
{
  const char *street = list_pick (&l->streets, rng);
  guint number = 1 + pd_sim_rng_below (rng, 180);

  return l->country->number_first ? g_strdup_printf ("%u %s", number, street)
                                  : g_strdup_printf ("%s %u", street, number);
}

/* City, postal code and (where the country has them) state of one of the country's cities. */
static void
set_city (PdSimCustomer *c, const CountryLists *l, PdSimRng *rng)
{
  guint k = pd_sim_rng_below (rng, l->cities.n);

  g_free (c->bill[PD_SIM_BILL_CITY]);
  g_free (c->bill[PD_SIM_BILL_POSTAL_CODE]);
  g_free (c->bill[PD_SIM_BILL_STATE]);
  c->bill[PD_SIM_BILL_CITY] = g_strdup (l->cities_only.items[k]);
  c->bill[PD_SIM_BILL_POSTAL_CODE] = g_strdup (l->postal_codes[k]);
  c->bill[PD_SIM_BILL_STATE] = g_strdup (l->states[k]);
}

static void
set_contact (PdSimCustomer *c, const CountryLists *l, PdSimRng *rng)
{
  const char *first = list_pick (&l->first_names, rng);
  const char *last = list_pick (&l->surnames, rng);
  g_autofree char *local_first = slugify (first, 20, '\0');
  g_autofree char *local_last = slugify (last, 20, '\0');
  const char *mail_domain = c->custom_domain != NULL ? c->custom_domain : c->domain;

  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    if (f == PD_SIM_BILL_FIRST_NAME || f == PD_SIM_BILL_LAST_NAME || f == PD_SIM_BILL_EMAIL
        || f == PD_SIM_BILL_ADDR_FIRST_NAME || f == PD_SIM_BILL_ADDR_LAST_NAME)
      g_clear_pointer (&c->bill[f], g_free);
  c->bill[PD_SIM_BILL_FIRST_NAME] = g_strdup (first);
  c->bill[PD_SIM_BILL_LAST_NAME] = g_strdup (last);
  c->bill[PD_SIM_BILL_ADDR_FIRST_NAME] = g_strdup (first);
  c->bill[PD_SIM_BILL_ADDR_LAST_NAME] = g_strdup (last);
  c->bill[PD_SIM_BILL_EMAIL] = g_strconcat (local_first, ".", local_last, "@", mail_domain,
                                              NULL);
}

/* About 10 % of bill-tos miss one field Partner Center needs for orders. */
static void
maybe_make_incomplete (PdSimCustomer *c, const CountryLists *l, PdSimRng *rng)
{
  static const PdSimBillField candidates[] = {
    PD_SIM_BILL_POSTAL_CODE, PD_SIM_BILL_CITY, PD_SIM_BILL_EMAIL, PD_SIM_BILL_LINE1,
    PD_SIM_BILL_ADDR_FIRST_NAME, PD_SIM_BILL_STATE, PD_SIM_BILL_PHONE,
  };
  PdSimBillField field;

  if (pd_sim_rng_double (rng) >= INCOMPLETE_RATE)
    return;
  field = candidates[pd_sim_rng_below (rng, G_N_ELEMENTS (candidates))];
  /* A state or phone only counts where the country requires one. */
  if (field == PD_SIM_BILL_STATE && !l->country->info.state_required)
    field = PD_SIM_BILL_POSTAL_CODE;
  if (field == PD_SIM_BILL_PHONE && !l->country->info.phone_required)
    field = PD_SIM_BILL_CITY;
  g_clear_pointer (&c->bill[field], g_free);
}

static const char *
pick_name_source (PdSimData *data, PdSimRng *rng, CountryLists **l)
{
  PdSimCustomer *original;

  if (data->customers->len == 0 || pd_sim_rng_double (rng) >= NEAR_DUPLICATE_RATE)
    return NULL;
  original = g_ptr_array_index (data->customers, pd_sim_rng_below (rng, data->customers->len));
  if (original->bill[PD_SIM_BILL_COMPANY_NAME] == NULL)
    return NULL;
  *l = lists_for_country (data, original->bill[PD_SIM_BILL_COUNTRY]);
  return original->bill[PD_SIM_BILL_COMPANY_NAME];
}

static void
set_identity (PdSimData *data, PdSimCustomer *c, CountryLists *l, PdSimRng *rng,
              const char *duplicate_of)
{
  const char *name;
  g_autofree char *stem = NULL;
  g_autofree char *slug = NULL;

  c->bill[PD_SIM_BILL_COMPANY_NAME] =
    duplicate_of != NULL ? near_duplicate_name (l, rng, duplicate_of)
                         : generate_name (data, l, rng, c->bill[PD_SIM_BILL_CITY]);
  name = c->bill[PD_SIM_BILL_COMPANY_NAME];
  stem = g_strndup (name, strlen (name) - suffix_length (l, name));
  slug = unique_slug (data, stem);
  c->domain = g_strconcat (slug, ".onmicrosoft.com", NULL);
  if (pd_sim_rng_double (rng) < CUSTOM_DOMAIN_RATE)
    {
      g_autofree char *label = slugify (stem, 40, '-');
      c->custom_domain = g_strconcat (label, ".", l->country->tld, NULL);
    }
}

static PdSimCustomer *
generate_customer (PdSimData *data, PdSimRng *rng, const char *id)
{
  PdSimCustomer *c = g_new0 (PdSimCustomer, 1);
  CountryLists *l = pick_country (data, rng);
  const char *duplicate_of = pick_name_source (data, rng, &l);

  c->id = id != NULL ? g_ascii_strdown (id, -1) : pd_sim_rng_guid (rng);
  c->commerce_id = pd_sim_rng_guid (rng);
  c->profile_id = pd_sim_rng_guid (rng);
  c->delegated = pd_sim_rng_double (rng) < 0.7;
  c->etag = (gint64) pd_sim_rng_next (&data->etag_rng);
  c->bill[PD_SIM_BILL_COUNTRY] = g_strdup (l->country->info.iso2);
  c->bill[PD_SIM_BILL_CULTURE] = g_strdup (l->country->info.culture);
  c->bill[PD_SIM_BILL_LANGUAGE] = g_strdup (l->country->language);
  set_city (c, l, rng);
  set_identity (data, c, l, rng, duplicate_of);
  set_contact (c, l, rng);
  c->bill[PD_SIM_BILL_LINE1] = street_address (l, rng);
  c->bill[PD_SIM_BILL_PHONE] = random_digits (rng, l->country->phone_format);
  maybe_make_incomplete (c, l, rng);
  if (data->resellers->len > 0 && pd_sim_rng_double (rng) < RESELLER_SHARE)
    {
      PdSimReseller *r = g_ptr_array_index (data->resellers,
                                            pd_sim_rng_below (rng, data->resellers->len));
      c->reseller_id = g_strdup (r->id);
    }
  return c;
}

/* ---- Resellers ----------------------------------------------------------------------- */

static const char * const reseller_names[][2] = {
  { "Nordic Cloud Partners Oy", "FI" }, { "Kappa Systemhaus GmbH", "DE" },
  { "Blue Harbour IT Ltd", "GB" }, { "Solutions Informatiques Léman SARL", "FR" },
  { "Iberia Cloud Services S.L.", "ES" }, { "Polaris IT-tjänster AB", "SE" },
  { "Tasman Cloud Pty Ltd", "AU" }, { "Maple Leaf Technologies Inc.", "CA" },
  { "Lakeside Managed Services LLC", "US" }, { "Vistula Systemy IT Sp. z o.o.", "PL" },
};

static void
free_reseller (PdSimReseller *r)
{
  g_free (r->id);
  g_free (r->name);
  g_free (r->mpn_id);
  g_free (r->location);
  g_free (r);
}

static void
generate_resellers (PdSimData *data, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      PdSimReseller *r = g_new0 (PdSimReseller, 1);
      guint k = i % G_N_ELEMENTS (reseller_names);

      r->id = pd_sim_rng_guid (&data->rng);
      r->name = i < G_N_ELEMENTS (reseller_names)
        ? g_strdup (reseller_names[k][0])
        : g_strdup_printf ("%s %u", reseller_names[k][0],
                           (guint) (i / G_N_ELEMENTS (reseller_names) + 1));
      r->mpn_id = g_strdup_printf ("%u", 1000000 + pd_sim_rng_below (&data->rng, 8999999));
      r->location = g_strdup (reseller_names[k][1]);
      g_ptr_array_add (data->resellers, r);
    }
}

/* ---- Audit --------------------------------------------------------------------------- */

static void
audit_free (PdSimAudit *a)
{
  g_free (a->customer_id);
  g_free (a->customer_name);
  g_free (a->operation_type);
  g_free (a->resource_type);
  g_free (a->old_value);
  g_free (a->new_value);
  g_free (a);
}

static PdSimAudit *
audit_new (const PdSimCustomer *c, const char *operation, char *old_value, char *new_value,
           gint64 date_us)
{
  PdSimAudit *a = g_new0 (PdSimAudit, 1);

  a->customer_id = g_strdup (c->id);
  a->customer_name = g_strdup (c->bill[PD_SIM_BILL_COMPANY_NAME]);
  a->operation_type = g_strdup (operation);
  a->resource_type = g_strdup ("customer");
  a->old_value = old_value;
  a->new_value = new_value;
  a->date_us = date_us;
  return a;
}

/* Appends a record of a live change; dates never go backwards so that paging by seq is
 * also chronological. */
static void
record (PdSimData *data, const PdSimCustomer *c, const char *operation, char *old_value,
        char *new_value, gint64 now_us)
{
  gint64 date = MAX (now_us, data->last_audit_us + 1);
  PdSimAudit *a = audit_new (c, operation, old_value, new_value, date);

  a->seq = data->next_audit_seq++;
  data->last_audit_us = date;
  g_ptr_array_add (data->audit, a);
  data->generation++;
}

static char *
customer_to_string (const PdSimCustomer *c)
{
  PdSimJson w;

  pd_sim_json_init (&w);
  pd_sim_json_customer (&w, c, TRUE);
  return pd_sim_json_steal (&w, NULL);
}

static gint
compare_audit_dates (gconstpointer a, gconstpointer b)
{
  const PdSimAudit *x = *(PdSimAudit * const *) a;
  const PdSimAudit *y = *(PdSimAudit * const *) b;

  return (x->date_us > y->date_us) - (x->date_us < y->date_us);
}

/* Customers created within the retention window have their add_customer record. */
static void
seed_history (PdSimData *data, gint64 now_us)
{
  const gint64 day = G_USEC_PER_SEC * G_GINT64_CONSTANT (86400);

  for (guint i = 0; i < data->customers->len; i++)
    {
      PdSimCustomer *c = g_ptr_array_index (data->customers, i);
      gint64 age = (gint64) (pd_sim_rng_double (&data->rng) * HISTORY_DAYS * day);

      if (age < AUDIT_DAYS * day)
        g_ptr_array_add (data->audit, audit_new (c, "add_customer", NULL, customer_to_string (c),
                                                 now_us - age - G_USEC_PER_SEC));
    }
  g_ptr_array_sort (data->audit, compare_audit_dates);
  for (guint i = 0; i < data->audit->len; i++)
    {
      PdSimAudit *a = g_ptr_array_index (data->audit, i);
      a->seq = data->next_audit_seq++;
      data->last_audit_us = a->date_us;
    }
}

/* A new customer (id NULL: a random one) joins the list after every other, as its seq says,
 * and the index by id. */
static PdSimCustomer *
append_customer (PdSimData *data, PdSimRng *rng, const char *id)
{
  PdSimCustomer *c = generate_customer (data, rng, id);

  c->seq = data->next_seq++;
  g_ptr_array_add (data->customers, c);
  g_hash_table_insert (data->by_id, c->id, c);
  return c;
}

/* ---- Public -------------------------------------------------------------------------- */

PdSimData *
pd_sim_data_new (guint n_customers, guint n_resellers, guint64 seed, gint64 now_us)
{
  PdSimData *data = g_new0 (PdSimData, 1);

  pd_sim_rng_init (&data->rng, seed);
  pd_sim_rng_init (&data->etag_rng, seed ^ G_GUINT64_CONSTANT (0xe7a9));
  lists_init (data);
  data->customers = g_ptr_array_new_full (n_customers, (GDestroyNotify) customer_free);
  data->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  data->resellers = g_ptr_array_new_with_free_func ((GDestroyNotify) free_reseller);
  data->audit = g_ptr_array_new_with_free_func ((GDestroyNotify) audit_free);
  data->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->slugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->slug_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->partner_tenant_id = pd_sim_rng_guid (&data->rng);
  data->partner_domain = g_strdup ("partnerdesksim.onmicrosoft.com");
  data->next_seq = 1;
  data->next_audit_seq = 1;
  generate_resellers (data, n_resellers);
  for (guint i = 0; i < n_customers; i++)
    append_customer (data, &data->rng, NULL);
  seed_history (data, now_us);
  return data;
}

void
pd_sim_data_free (PdSimData *data)
{
  if (data == NULL)
    return;
  g_hash_table_unref (data->by_id);
  g_ptr_array_unref (data->customers);
  g_ptr_array_unref (data->resellers);
  g_ptr_array_unref (data->audit);
  g_hash_table_unref (data->names);
  g_hash_table_unref (data->slugs);
  g_hash_table_unref (data->slug_numbers);
  lists_free (data);
  g_free (data->partner_tenant_id);
  g_free (data->partner_domain);
  g_free (data);
}

const char *
pd_sim_data_partner_tenant_id (PdSimData *data)
{
  return data->partner_tenant_id;
}

const char *
pd_sim_data_partner_domain (PdSimData *data)
{
  return data->partner_domain;
}

guint
pd_sim_data_generation (PdSimData *data)
{
  return data->generation;
}

GPtrArray *
pd_sim_data_customers (PdSimData *data)
{
  return data->customers;
}

guint
pd_sim_data_n_customers (PdSimData *data)
{
  return data->customers->len;
}

PdSimCustomer *
pd_sim_data_customer (PdSimData *data, guint index)
{
  g_return_val_if_fail (index < data->customers->len, NULL);
  return g_ptr_array_index (data->customers, index);
}

PdSimCustomer *
pd_sim_data_lookup (PdSimData *data, const char *id)
{
  g_autofree char *lower = NULL;

  if (id == NULL)
    return NULL;
  /* Tenant ids are GUIDs: compare them case-insensitively, as the service does. */
  lower = g_ascii_strdown (id, -1);
  return g_hash_table_lookup (data->by_id, lower);
}

guint
pd_sim_data_index_after (PdSimData *data, guint64 seq)
{
  guint lo = 0, hi = data->customers->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      PdSimCustomer *c = g_ptr_array_index (data->customers, mid);
      if (c->seq <= seq)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
pd_sim_data_n_resellers (PdSimData *data)
{
  return data->resellers->len;
}

PdSimReseller *
pd_sim_data_reseller (PdSimData *data, guint index)
{
  g_return_val_if_fail (index < data->resellers->len, NULL);
  return g_ptr_array_index (data->resellers, index);
}

PdSimReseller *
pd_sim_data_lookup_reseller (PdSimData *data, const char *id)
{
  for (guint i = 0; i < data->resellers->len; i++)
    {
      PdSimReseller *r = g_ptr_array_index (data->resellers, i);
      if (id != NULL && g_ascii_strcasecmp (r->id, id) == 0)
        return r;
    }
  return NULL;
}

GPtrArray *
pd_sim_data_audit_records (PdSimData *data)
{
  return data->audit;
}

guint
pd_sim_data_n_audit (PdSimData *data)
{
  return data->audit->len;
}

PdSimAudit *
pd_sim_data_audit (PdSimData *data, guint index)
{
  g_return_val_if_fail (index < data->audit->len, NULL);
  return g_ptr_array_index (data->audit, index);
}

PdSimCustomer *
pd_sim_data_add_customer (PdSimData *data, PdSimRng *rng, const char *id, gint64 now_us)
{
  PdSimCustomer *c;

  if (id != NULL && pd_sim_data_lookup (data, id) != NULL)
    return NULL;
  c = append_customer (data, rng, id);
  record (data, c, "add_customer", NULL, customer_to_string (c), now_us);
  return c;
}

gboolean
pd_sim_data_remove_customer (PdSimData *data, const char *id, gint64 now_us)
{
  PdSimCustomer *c = pd_sim_data_lookup (data, id);
  guint index;

  if (c == NULL)
    return FALSE;
  record (data, c, "remove_partner_customer_relationship", customer_to_string (c), NULL,
          now_us);
  index = pd_sim_data_index_after (data, c->seq - 1);
  g_hash_table_remove (data->by_id, c->id);
  g_ptr_array_remove_index (data->customers, index);
  return TRUE;
}

void
pd_sim_data_set_bill_to (PdSimData *data, PdSimCustomer *c, char **values, gint64 now_us)
{
  char *old_value = pd_sim_billing_profile_to_string (c);

  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    {
      g_free (c->bill[f]);
      c->bill[f] = values[f];
      values[f] = NULL;
    }
  c->etag = (gint64) pd_sim_rng_next (&data->etag_rng);
  record (data, c, "update_customer_billing_profile", old_value,
          pd_sim_billing_profile_to_string (c), now_us);
}

void
pd_sim_data_set_reseller (PdSimData *data, PdSimCustomer *c, const char *reseller_id)
{
  g_free (c->reseller_id);
  c->reseller_id = g_strdup (reseller_id);
  data->generation++;
}

/* Edits as account managers make them: a move, a new phone, a new contact, a fix. */
void
pd_sim_data_change_bill_to (PdSimData *data, PdSimCustomer *c, PdSimRng *rng, gint64 now_us)
{
  CountryLists *l = lists_for_country (data, c->bill[PD_SIM_BILL_COUNTRY]);
  PdSimCustomer edited = *c;
  char *values[PD_SIM_BILL_N];

  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    edited.bill[f] = g_strdup (c->bill[f]);
  switch (pd_sim_rng_below (rng, 4))
    {
    case 0:
      set_city (&edited, l, rng);
      G_GNUC_FALLTHROUGH;
    case 1:
      g_free (edited.bill[PD_SIM_BILL_LINE1]);
      edited.bill[PD_SIM_BILL_LINE1] = street_address (l, rng);
      break;
    case 2:
      set_contact (&edited, l, rng);
      break;
    default:
      g_free (edited.bill[PD_SIM_BILL_PHONE]);
      edited.bill[PD_SIM_BILL_PHONE] = random_digits (rng, l->country->phone_format);
      break;
    }
  memcpy (values, edited.bill, sizeof values);
  pd_sim_data_set_bill_to (data, c, values, now_us);
}

/* A rename as partners make them through the billing profile: a new company name. */
void
pd_sim_data_rename (PdSimData *data, PdSimCustomer *c, PdSimRng *rng, gint64 now_us)
{
  CountryLists *l = lists_for_country (data, c->bill[PD_SIM_BILL_COUNTRY]);
  char *values[PD_SIM_BILL_N];

  for (guint f = 0; f < PD_SIM_BILL_N; f++)
    values[f] = g_strdup (c->bill[f]);
  g_free (values[PD_SIM_BILL_COMPANY_NAME]);
  values[PD_SIM_BILL_COMPANY_NAME] = generate_name (data, l, rng,
                                                   c->bill[PD_SIM_BILL_CITY] != NULL
                                                   ? c->bill[PD_SIM_BILL_CITY] : "");
  pd_sim_data_set_bill_to (data, c, values, now_us);
}
