/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates.c — an in-memory index that finds organizations looking like one customer.
 *
 * Exact keys (tenant, domain, ERP ID, normalised name, onmicrosoft prefix) live in hash
 * multimaps. Similar names are found through an inverted index of byte trigrams of the
 * normalised name: a query counts, per indexed organization, the trigrams it shares and scores
 * the Jaccard similarity of the two trigram sets, touching only organizations that share at
 * least one trigram. find_groups() joins all pairs above a threshold with prefix filtering
 * (rarest trigrams first), so it never compares every pair of 100,000 names.
 *
 * Not thread-safe: one index is used from one thread.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pd-duplicates-private.h"

/* Scores of each kind of evidence; combined as independent evidence (1 - Π(1 - s)). */
#define SCORE_SAME_TENANT   1.0
#define SCORE_SAME_DOMAIN   0.95
#define SCORE_SAME_ERP_ID   0.9
#define SCORE_SAME_NAME     0.9
#define SCORE_NAME_PREFIX   0.85
#define SCORE_SIMILAR_SCALE 0.85
/* Below this trigram Jaccard similarity two names are not called similar at all. */
#define MIN_NAME_JACCARD    0.5
/* Long texts (notes pasted as a name) are indexed by their start only. */
#define MAX_TRIGRAMS        256

#define ONMICROSOFT_SUFFIX ".onmicrosoft.com"

/* --- Normalisation ------------------------------------------------------------------------ */

/* Legal-form suffixes, as the tokens they become after punctuation turns into spaces
 * ("S.p.A." → "s p a", "A/S" → "a s"). Removed repeatedly from the end ("GmbH & Co. KG"). */
static const char * const legal_suffixes[] = {
  "sp z o o", "s a de c v", "sa de cv", "s de rl", "s a r l", "s p a", "s r l", "s r o",
  "s a s", "pty ltd", "pte ltd", "sdn bhd", "pvt ltd", "l l c", "l l p", "p l c",
  "a s", "a b", "a g", "s a", "s l", "b v", "n v", "k k", "g k", "k g", "co kg", "e v",
  "ltd", "limited", "oy", "oyj", "ab", "as", "asa", "aps", "gmbh", "mbh", "ag", "kg", "co",
  "company", "inc", "incorporated", "llc", "llp", "lp", "corp", "corporation", "sa", "bv",
  "nv", "sarl", "sas", "sasu", "eurl", "spa", "srl", "sro", "pty", "pte", "plc", "kft", "zrt",
  "nyrt", "bt", "ltda", "sl", "slu", "se", "ug", "kk", "bvba", "bhd", "pvt", "ooo", "oao",
  "zao", "pao", "ou", "sia", "uab", "doo", "ad", "ehf", "hf", "ohg", "gbr", "vof", "cv",
  "kgaa", "aktiebolag", "aktiengesellschaft", "osakeyhtio",
};

/* A suffix as its tokens, split once. */
#define MAX_SUFFIX_TOKENS 5

typedef struct {
  guint        n_tokens;
  const char  *tokens[MAX_SUFFIX_TOKENS];
  guint        lengths[MAX_SUFFIX_TOKENS];
} Suffix;

static const Suffix *
suffix_table (guint *out_n)
{
  static Suffix *table;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      Suffix *t = g_new0 (Suffix, G_N_ELEMENTS (legal_suffixes));

      /* The tokens point into the literals: a token ends at the next space or the end. */
      for (guint i = 0; i < G_N_ELEMENTS (legal_suffixes); i++)
        for (const char *p = legal_suffixes[i]; *p != '\0'; )
          {
            guint len = (guint) strcspn (p, " ");

            /* A hard check: g_assert is compiled out, and the write below would overflow. */
            if (t[i].n_tokens >= MAX_SUFFIX_TOKENS)
              g_error ("Legal suffix “%s” has more than %d words", legal_suffixes[i],
                       MAX_SUFFIX_TOKENS);
            t[i].tokens[t[i].n_tokens] = p;
            t[i].lengths[t[i].n_tokens++] = len;
            p += len;
            p += *p == ' ';
          }
      table = t;
      g_once_init_leave (&initialized, 1);
    }
  *out_n = G_N_ELEMENTS (legal_suffixes);
  return table;
}

/* Letters NFKD does not decompose but people type both ways ("Møller" / "Moller"). */
static const char *
transliterate (gunichar c)
{
  switch (c)
    {
    case 0x00F8: return "o";    /* ø */
    case 0x00E6: return "ae";   /* æ */
    case 0x0153: return "oe";   /* œ */
    case 0x00DF: return "ss";   /* ß */
    case 0x0142: return "l";    /* ł */
    case 0x0111: return "d";    /* đ */
    case 0x00FE: return "th";   /* þ */
    case 0x00F0: return "d";    /* ð */
    case 0x0131: return "i";    /* ı */
    default: return NULL;
    }
}

/* Folds len bytes of valid UTF-8 without ASCII: NFKD, lower case, marks dropped. */
static void
fold_non_ascii (GString    *out,
                const char *text,
                gssize      len)
{
  g_autofree char *decomposed = g_utf8_normalize (text, len, G_NORMALIZE_NFKD);

  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));
      const char *ascii;

      if (g_unichar_ismark (c))
        continue;
      if ((ascii = transliterate (c)) != NULL)
        g_string_append (out, ascii);
      else if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else
        g_string_append_c (out, ' ');
    }
}

/* Lower case, accents stripped, everything but letters and digits turned into spaces.
 * Names are mostly ASCII: ASCII bytes are folded directly, and only the runs of other
 * characters go through NFKD. That gives the same text as normalising the whole string, since
 * ASCII characters are starters that NFKD neither decomposes nor reorders across. */
static char *
fold_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0'; )
    {
      const char *run = p;

      if ((guchar) *p < 0x80)
        {
          g_string_append_c (out, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : ' ');
          p++;
          continue;
        }
      while ((guchar) *p >= 0x80)
        p++;
      fold_non_ascii (out, run, p - run);
    }
  return g_string_free (out, FALSE);
}

typedef struct {
  const char *start;
  guint       len;
} Token;

static gboolean
ends_with_suffix (const Token  *tokens,
                  guint         n_tokens,
                  const Suffix *suffix)
{
  guint start;

  /* Never strip the whole name: a company may be called "AB" or "Company". */
  if (suffix->n_tokens >= n_tokens)
    return FALSE;
  start = n_tokens - suffix->n_tokens;
  for (guint i = 0; i < suffix->n_tokens; i++)
    {
      const Token *t = &tokens[start + i];

      if (t->len != suffix->lengths[i] || memcmp (t->start, suffix->tokens[i], t->len) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Removes suffixes from the end, the first matching one in table order each time. */
static guint
strip_legal_suffixes (const Token *tokens,
                      guint        n_tokens)
{
  guint n_suffixes;
  const Suffix *suffixes = suffix_table (&n_suffixes);
  gboolean stripped = TRUE;

  while (stripped && n_tokens > 1)
    {
      const Token *last = &tokens[n_tokens - 1];

      stripped = FALSE;
      for (guint i = 0; i < n_suffixes && !stripped; i++)
        {
          const Suffix *suffix = &suffixes[i];
          guint k = suffix->n_tokens - 1;

          /* Most names end in no suffix: the last token's length and first byte rule out
           * nearly every entry before a full comparison. */
          if (suffix->lengths[k] != last->len || suffix->tokens[k][0] != last->start[0])
            continue;
          if (ends_with_suffix (tokens, n_tokens, suffix))
            {
              n_tokens -= suffixes[i].n_tokens;
              stripped = TRUE;
            }
        }
    }
  return n_tokens;
}

/* Splits folded at spaces into tokens (no empty ones); returns how many. tokens has room for
 * one per two bytes, rounded up. */
static guint
split_tokens (const char *folded,
              Token      *tokens)
{
  guint n = 0;

  for (const char *p = folded; *p != '\0'; )
    {
      const char *start;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != ' ' && *p != '\0')
        p++;
      tokens[n].start = start;
      tokens[n++].len = (guint) (p - start);
    }
  return n;
}

/* Called for every organization written to the store, so it allocates only its result and
 * the folded text for short names. */
char *
pd_duplicates_normalize_name (const char *name)
{
  g_autofree char *folded = NULL;
  g_autofree Token *heap_tokens = NULL;
  Token stack_tokens[32];
  Token *tokens = stack_tokens;
  GString *joined;
  gsize len;
  guint n;

  if (name == NULL)
    return g_strdup ("");

  folded = fold_text (name);
  len = strlen (folded);
  if ((len + 1) / 2 > G_N_ELEMENTS (stack_tokens))
    tokens = heap_tokens = g_new (Token, (len + 1) / 2);
  n = strip_legal_suffixes (tokens, split_tokens (folded, tokens));
  joined = g_string_sized_new (len);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append_len (joined, tokens[i].start, tokens[i].len);
    }
  return g_string_free (joined, FALSE);
}

char *
pd_duplicates_normalize_domain (const char *domain)
{
  g_autofree char *lower = NULL;
  const char *start;
  char *end;

  if (domain == NULL)
    return g_strdup ("");

  /* Domains are ASCII but for a pasted internationalised one; ASCII lower-casing is the same
   * and much cheaper. */
  lower = g_str_is_ascii (domain) ? g_ascii_strdown (domain, -1) : g_utf8_strdown (domain, -1);
  g_strstrip (lower);
  /* Accept what people paste: a URL or an e-mail address. */
  start = strstr (lower, "://") != NULL ? strstr (lower, "://") + 3 : lower;
  if (strchr (start, '@') != NULL)
    start = strrchr (start, '@') + 1;
  if (g_str_has_prefix (start, "www."))
    start += 4;
  end = (char *) start + strcspn (start, "/?#: ");
  *end = '\0';
  while (end > start && end[-1] == '.')
    *--end = '\0';
  return g_strdup (start);
}

/* The first length bytes of text without the drop characters. */
static char *
dup_without (const char *text,
             gsize       length,
             char        drop)
{
  GString *kept = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] != drop)
        g_string_append_c (kept, text[i]);
    }
  return g_string_free (kept, FALSE);
}

/* "contoso.onmicrosoft.com" → "contoso" (hyphens dropped, to compare with compact names). */
static char *
onmicrosoft_prefix (const char *normalized_domain)
{
  if (!g_str_has_suffix (normalized_domain, ONMICROSOFT_SUFFIX)
      || strlen (normalized_domain) == strlen (ONMICROSOFT_SUFFIX))
    return NULL;
  return dup_without (normalized_domain, strcspn (normalized_domain, "."), '-');
}

static char *
compact_name (const char *normalized_name)
{
  return dup_without (normalized_name, strlen (normalized_name), ' ');
}

/* NULL for NULL or blank input; otherwise trimmed and ASCII-lower-cased. */
static char *
key_or_null (const char *text)
{
  char *key;

  if (text == NULL)
    return NULL;
  key = g_strstrip (g_ascii_strdown (text, -1));
  if (*key == '\0')
    g_clear_pointer (&key, g_free);
  return key;
}

static char *
null_if_empty (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* --- Trigrams ----------------------------------------------------------------------------- */

static int
compare_guint32 (const void *a,
                 const void *b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Sorted, distinct byte trigrams of "  name ", so that short names and word starts count. */
static guint32 *
make_trigrams (const char *normalized_name,
               guint      *out_n)
{
  g_autofree char *padded = NULL;
  guint32 *trigrams;
  gsize len;
  guint n = 0;

  *out_n = 0;
  if (*normalized_name == '\0')
    return NULL;
  padded = g_strconcat ("  ", normalized_name, " ", NULL);
  len = MIN (strlen (padded), MAX_TRIGRAMS + 2);
  trigrams = g_new (guint32, len - 2);
  for (gsize i = 0; i + 2 < len; i++)
    trigrams[i] = ((guint32) (guchar) padded[i] << 16) | ((guint32) (guchar) padded[i + 1] << 8)
                  | (guchar) padded[i + 2];
  qsort (trigrams, len - 2, sizeof (guint32), compare_guint32);
  for (gsize i = 0; i < len - 2; i++)
    {
      if (n == 0 || trigrams[n - 1] != trigrams[i])
        trigrams[n++] = trigrams[i];
    }
  *out_n = n;
  return trigrams;
}

/* Shared elements of two sorted arrays; stops early (returning less) once `needed` can no
 * longer be reached. */
static guint
count_common (const guint32 *a,
              guint          n_a,
              const guint32 *b,
              guint          n_b,
              guint          needed)
{
  guint i = 0, j = 0, common = 0;

  while (i < n_a && j < n_b)
    {
      if (common + MIN (n_a - i, n_b - j) < needed)
        break;
      if (a[i] == b[j])
        common++, i++, j++;
      else if (a[i] < b[j])
        i++;
      else
        j++;
    }
  return common;
}

static double
jaccard (guint common,
         guint n_a,
         guint n_b)
{
  guint union_size = n_a + n_b - common;

  return union_size == 0 ? 0.0 : (double) common / union_size;
}

/* --- Index -------------------------------------------------------------------------------- */

/* One indexed organization, in a single allocation (struct, trigrams, then its strings): the
 * index holds 100,000 of these. Immutable; a change is a remove and an add. */
typedef struct {
  gint64       org_id;
  const char  *name;          /* display name */
  const char  *tenant_id;     /* as given, for the match */
  const char  *tenant_key;
  const char  *domain_key;
  const char  *erp_key;
  const char  *name_key;      /* normalised; NULL when nothing is left */
  const char  *compact_key;   /* name_key without spaces */
  const char  *prefix_key;    /* onmicrosoft prefix */
  guint        n_trigrams;
  guint32      trigrams[];    /* sorted; inline, as the groups join reads them for many pairs */
} Entry;

#define N_ENTRY_STRINGS 8

struct _PdDuplicates
{
  GObject     parent_instance;

  GPtrArray  *entries;      /* slot → Entry, NULL for a free slot */
  GArray     *free_slots;   /* guint32 */
  GHashTable *by_org_id;    /* &entry->org_id → slot + 1 */
  /* Multimaps: key (borrowed from an entry holding it) → slots, see SlotList. */
  GHashTable *by_tenant;
  GHashTable *by_domain;
  GHashTable *by_erp;
  GHashTable *by_name;
  GHashTable *by_compact;
  GHashTable *by_prefix;
  GHashTable *by_trigram;   /* key: GUINT_TO_POINTER (trigram) */
  guint16    *counts;       /* per-slot scratch for queries, all zero between queries */
  guint       counts_size;
};

G_DEFINE_FINAL_TYPE (PdDuplicates, pd_duplicates, G_TYPE_OBJECT)

/* Multimap values: nearly every key (tenant, domain, name) belongs to one organization, so a
 * single slot is stored in the pointer itself, tagged (slot << 1 | 1); two or more slots live
 * in a GArray. This saves an array per key and per organization. */
#define SINGLE_SLOT(slot)    GSIZE_TO_POINTER (((gsize) (slot) << 1) | 1)
#define IS_SINGLE_SLOT(v)    ((GPOINTER_TO_SIZE (v) & 1) != 0)
#define SLOT_OF_SINGLE(v)    ((guint32) (GPOINTER_TO_SIZE (v) >> 1))
#define NO_KEY_OFFSET        (-1)

typedef struct {
  const guint32 *data;
  guint          len;
  guint32        single;
} SlotList;

/* Fills a list view of a multimap value; the view must stay where it is (data may point into
 * it). */
static void
slot_list_init (SlotList *list,
                gpointer  value)
{
  if (value == NULL)
    {
      list->data = NULL;
      list->len = 0;
    }
  else if (IS_SINGLE_SLOT (value))
    {
      list->single = SLOT_OF_SINGLE (value);
      list->data = &list->single;
      list->len = 1;
    }
  else
    {
      list->data = (const guint32 *) ((GArray *) value)->data;
      list->len = ((GArray *) value)->len;
    }
}

static void
multimap_value_free (gpointer value)
{
  if (value != NULL && !IS_SINGLE_SLOT (value))
    g_array_unref (value);
}

static GHashTable *
multimap_new (GHashFunc  hash,
              GEqualFunc equal)
{
  return g_hash_table_new_full (hash, equal, NULL, multimap_value_free);
}

static void
multimap_add (GHashTable    *map,
              gconstpointer  key,
              guint32        slot)
{
  gpointer stored_key, value;
  GArray *slots;

  if (!g_hash_table_lookup_extended (map, key, &stored_key, &value))
    {
      g_hash_table_insert (map, (gpointer) key, SINGLE_SLOT (slot));
      return;
    }
  if (!IS_SINGLE_SLOT (value))
    {
      g_array_append_val ((GArray *) value, slot);
      return;
    }
  slots = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 2);
  g_array_append_vals (slots, (guint32[]) { SLOT_OF_SINGLE (value), slot }, 2);
  g_hash_table_insert (map, stored_key, slots);
}

static const char *
entry_string (PdDuplicates *self,
              guint32       slot,
              goffset       offset)
{
  return G_STRUCT_MEMBER (const char *, g_ptr_array_index (self->entries, slot), offset);
}

/* Removes one slot. The stored key may be the removed entry's own string, which is about to
 * be freed: then the key is replaced by the same string of a remaining entry (key_offset). */
static void
multimap_remove (PdDuplicates  *self,
                 GHashTable    *map,
                 gconstpointer  key,
                 guint32        slot,
                 goffset        key_offset)
{
  gpointer stored_key, value;
  GArray *slots;

  if (!g_hash_table_lookup_extended (map, key, &stored_key, &value))
    return;
  if (IS_SINGLE_SLOT (value))
    {
      if (SLOT_OF_SINGLE (value) == slot)
        g_hash_table_remove (map, key);
      return;
    }
  slots = value;
  for (guint i = 0; i < slots->len; i++)
    {
      if (g_array_index (slots, guint32, i) == slot)
        {
          g_array_remove_index_fast (slots, i);
          break;
        }
    }
  g_hash_table_steal (map, key);
  if (key_offset != NO_KEY_OFFSET && stored_key == key)
    stored_key = (gpointer) entry_string (self, g_array_index (slots, guint32, 0), key_offset);
  if (slots->len == 1)
    {
      g_hash_table_insert (map, stored_key, SINGLE_SLOT (g_array_index (slots, guint32, 0)));
      g_array_unref (slots);
    }
  else
    {
      g_hash_table_insert (map, stored_key, slots);
    }
}

static void
multimap_lookup (GHashTable    *map,
                 gconstpointer  key,
                 SlotList      *out)
{
  slot_list_init (out, key != NULL ? g_hash_table_lookup (map, key) : NULL);
}

static void
pd_duplicates_finalize (GObject *object)
{
  PdDuplicates *self = PD_DUPLICATES (object);

  /* Maps first: their keys are borrowed from the entries. */
  g_hash_table_unref (self->by_org_id);
  g_hash_table_unref (self->by_tenant);
  g_hash_table_unref (self->by_domain);
  g_hash_table_unref (self->by_erp);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_compact);
  g_hash_table_unref (self->by_prefix);
  g_hash_table_unref (self->by_trigram);
  g_ptr_array_unref (self->entries);
  g_array_unref (self->free_slots);
  g_free (self->counts);

  G_OBJECT_CLASS (pd_duplicates_parent_class)->finalize (object);
}

static void
pd_duplicates_class_init (PdDuplicatesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pd_duplicates_finalize;
}

static void
pd_duplicates_init (PdDuplicates *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_free);
  self->free_slots = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->by_org_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->by_tenant = multimap_new (g_str_hash, g_str_equal);
  self->by_domain = multimap_new (g_str_hash, g_str_equal);
  self->by_erp = multimap_new (g_str_hash, g_str_equal);
  self->by_name = multimap_new (g_str_hash, g_str_equal);
  self->by_compact = multimap_new (g_str_hash, g_str_equal);
  self->by_prefix = multimap_new (g_str_hash, g_str_equal);
  self->by_trigram = multimap_new (g_direct_hash, g_direct_equal);
}

PdDuplicates *
pd_duplicates_new (void)
{
  return g_object_new (PD_TYPE_DUPLICATES, NULL);
}

void
pd_duplicates_add_organization (PdDuplicates   *self,
                                PdOrganization *org)
{
  g_return_if_fail (PD_IS_ORGANIZATION (org));
  pd_duplicates_add (self, pd_organization_get_id (org), pd_organization_get_name (org),
                     pd_organization_get_domain (org), pd_organization_get_tenant_id (org),
                     pd_organization_get_erp_id (org));
}

PdDuplicates *
pd_duplicates_new_for_organizations (GPtrArray *organizations)
{
  PdDuplicates *self = pd_duplicates_new ();

  for (guint i = 0; i < organizations->len; i++)
    pd_duplicates_add_organization (self, g_ptr_array_index (organizations, i));
  return self;
}

static gboolean
add_to_index (PdOrganization *org,
              gpointer        index)
{
  pd_duplicates_add_organization (index, org);
  return TRUE;
}

PdDuplicates *
pd_duplicates_new_for_store (PdStore  *store,
                             GError  **error)
{
  g_autoptr(PdDuplicates) self = pd_duplicates_new ();
  PdStoreQuery query = { 0 };

  g_return_val_if_fail (PD_IS_STORE (store), NULL);
  /* One organization at a time: the index keeps only its keys and trigrams (a million whole
   * organizations took 1.5 GB on the way). */
  if (!pd_store_foreach (store, &query, add_to_index, self, error))
    return NULL;
  return g_steal_pointer (&self);
}

guint
pd_duplicates_get_size (PdDuplicates *self)
{
  g_return_val_if_fail (PD_IS_DUPLICATES (self), 0);
  return g_hash_table_size (self->by_org_id);
}

/* Copies the strings to `out` (after the entry's trigrams); an equal earlier string is shared
 * (a tenant key usually equals the tenant id). */
static void
entry_pack_strings (char       *out,
                    char      **strings,
                    const char *targets[N_ENTRY_STRINGS])
{
  for (guint i = 0; i < N_ENTRY_STRINGS; i++)
    {
      targets[i] = NULL;
      if (strings[i] == NULL)
        continue;
      for (guint j = 0; j < i && targets[i] == NULL; j++)
        {
          if (targets[j] != NULL && strcmp (targets[j], strings[i]) == 0)
            targets[i] = targets[j];
        }
      if (targets[i] != NULL)
        continue;
      targets[i] = strcpy (out, strings[i]);
      out += strlen (strings[i]) + 1;
    }
}

static Entry *
entry_new (gint64      org_id,
           const char *name,
           const char *domain,
           const char *tenant_id,
           const char *erp_id)
{
  g_autofree char *domain_key = null_if_empty (pd_duplicates_normalize_domain (domain));
  g_autofree char *name_key = null_if_empty (pd_duplicates_normalize_name (name));
  g_autofree char *tenant_key = key_or_null (tenant_id);
  g_autofree char *erp_key = key_or_null (erp_id);
  g_autofree char *compact_key = name_key != NULL ? compact_name (name_key) : NULL;
  g_autofree char *prefix_key = domain_key != NULL ? onmicrosoft_prefix (domain_key) : NULL;
  g_autofree guint32 *trigrams = NULL;
  char *strings[N_ENTRY_STRINGS] = {
    (char *) name, (char *) tenant_id, tenant_key, domain_key, erp_key, name_key, compact_key,
    prefix_key,
  };
  const char *packed[N_ENTRY_STRINGS];
  gsize size = 0;
  guint n_trigrams = 0;
  Entry *entry;

  if (name_key != NULL)
    trigrams = make_trigrams (name_key, &n_trigrams);
  for (guint i = 0; i < N_ENTRY_STRINGS; i++)
    size += strings[i] != NULL ? strlen (strings[i]) + 1 : 0;
  entry = g_malloc0 (sizeof (Entry) + n_trigrams * sizeof (guint32) + size);
  entry->org_id = org_id;
  entry->n_trigrams = n_trigrams;
  if (n_trigrams > 0)
    memcpy (entry->trigrams, trigrams, n_trigrams * sizeof (guint32));
  entry_pack_strings ((char *) &entry->trigrams[n_trigrams], strings, packed);
  entry->name = packed[0];
  entry->tenant_id = packed[1];
  entry->tenant_key = packed[2];
  entry->domain_key = packed[3];
  entry->erp_key = packed[4];
  entry->name_key = packed[5];
  entry->compact_key = packed[6];
  entry->prefix_key = packed[7];
  return entry;
}

/* The string-keyed multimaps and the Entry member holding each key. */
typedef struct {
  GHashTable *map;
  goffset     offset;
} KeyedMap;

static guint
keyed_maps (PdDuplicates *self,
            KeyedMap      maps[6])
{
  maps[0] = (KeyedMap) { self->by_tenant, G_STRUCT_OFFSET (Entry, tenant_key) };
  maps[1] = (KeyedMap) { self->by_domain, G_STRUCT_OFFSET (Entry, domain_key) };
  maps[2] = (KeyedMap) { self->by_erp, G_STRUCT_OFFSET (Entry, erp_key) };
  maps[3] = (KeyedMap) { self->by_name, G_STRUCT_OFFSET (Entry, name_key) };
  maps[4] = (KeyedMap) { self->by_compact, G_STRUCT_OFFSET (Entry, compact_key) };
  maps[5] = (KeyedMap) { self->by_prefix, G_STRUCT_OFFSET (Entry, prefix_key) };
  return 6;
}

/* Files slot under every key and trigram of entry (add), or takes it out of them. */
static void
file_entry (PdDuplicates *self,
            Entry        *entry,
            guint32       slot,
            gboolean      add)
{
  KeyedMap maps[7];
  guint n_maps = keyed_maps (self, maps);

  maps[n_maps++] = (KeyedMap) { self->by_trigram, NO_KEY_OFFSET };
  for (guint i = 0; i < n_maps; i++)
    {
      gboolean trigrams = maps[i].offset == NO_KEY_OFFSET;
      guint n_keys = trigrams ? entry->n_trigrams : 1;

      for (guint k = 0; k < n_keys; k++)
        {
          gconstpointer key = trigrams ? GUINT_TO_POINTER (entry->trigrams[k])
                                       : G_STRUCT_MEMBER (const char *, entry, maps[i].offset);

          if (key == NULL)
            continue;
          if (add)
            multimap_add (maps[i].map, key, slot);
          else
            multimap_remove (self, maps[i].map, key, slot, maps[i].offset);
        }
    }
}

void
pd_duplicates_remove (PdDuplicates *self,
                      gint64        org_id)
{
  gpointer value;
  guint32 slot;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  if (!g_hash_table_lookup_extended (self->by_org_id, &org_id, NULL, &value))
    return;
  slot = GPOINTER_TO_UINT (value) - 1;
  g_hash_table_remove (self->by_org_id, &org_id);
  file_entry (self, g_ptr_array_index (self->entries, slot), slot, FALSE);
  g_clear_pointer (&g_ptr_array_index (self->entries, slot), g_free);
  g_array_append_val (self->free_slots, slot);
}

static guint32
allocate_slot (PdDuplicates *self)
{
  guint32 slot;

  if (self->free_slots->len > 0)
    {
      slot = g_array_index (self->free_slots, guint32, self->free_slots->len - 1);
      g_array_set_size (self->free_slots, self->free_slots->len - 1);
      return slot;
    }
  g_ptr_array_add (self->entries, NULL);
  return self->entries->len - 1;
}

void
pd_duplicates_add (PdDuplicates *self,
                   gint64        org_id,
                   const char   *name,
                   const char   *domain,
                   const char   *tenant_id,
                   const char   *erp_id)
{
  Entry *entry;
  guint32 slot;

  g_return_if_fail (PD_IS_DUPLICATES (self));

  pd_duplicates_remove (self, org_id);
  entry = entry_new (org_id, name, domain, tenant_id, erp_id);
  slot = allocate_slot (self);
  g_ptr_array_index (self->entries, slot) = entry;
  g_hash_table_insert (self->by_org_id, &entry->org_id, GUINT_TO_POINTER (slot + 1));
  file_entry (self, entry, slot, TRUE);
}

/* --- Matches ------------------------------------------------------------------------------ */

void
pd_duplicate_match_free (PdDuplicateMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->name);
  g_free (match->tenant_id);
  g_free (match);
}

char *
pd_match_reasons_to_string (PdMatchReason reasons)
{
  const char *parts[5];
  guint n = 0;

  if (reasons & PD_MATCH_SAME_TENANT)
    parts[n++] = _("same tenant");
  if (reasons & PD_MATCH_SAME_DOMAIN)
    parts[n++] = _("same domain");
  if (reasons & PD_MATCH_SAME_ERP_ID)
    parts[n++] = _("same ERP ID");
  if (reasons & PD_MATCH_SAME_NAME)
    parts[n++] = _("same name");
  else if (reasons & PD_MATCH_SIMILAR_NAME)
    parts[n++] = _("similar name");
  parts[n] = NULL;
  /* Translators: separates match reasons, as in "same tenant, similar name". */
  return g_strjoinv (_(", "), (char **) parts);
}

/* Evidence gathered for one indexed organization during a query: the best score per kind
 * (a name prefix match and a similar name are one fact, not two). */
typedef struct {
  PdMatchReason reasons;
  double        best[4];
} Evidence;

/* A same name is the strongest kind of name evidence, not a fact of its own. */
static guint
reason_index (PdMatchReason reason)
{
  return g_bit_nth_lsf (reason == PD_MATCH_SAME_NAME ? PD_MATCH_SIMILAR_NAME : reason, -1);
}

static void
add_evidence (GHashTable    *candidates,
              guint32        slot,
              PdMatchReason  reason,
              double         score)
{
  Evidence *evidence = g_hash_table_lookup (candidates, GUINT_TO_POINTER (slot));
  guint index = reason_index (reason);

  if (evidence == NULL)
    {
      evidence = g_new0 (Evidence, 1);
      g_hash_table_insert (candidates, GUINT_TO_POINTER (slot), evidence);
    }
  evidence->reasons |= reason;
  evidence->best[index] = MAX (evidence->best[index], score);
}

/* Independent pieces of evidence: the chance that all of them are wrong is the product. */
static double
evidence_score (const Evidence *evidence)
{
  double miss = 1.0;

  for (guint i = 0; i < G_N_ELEMENTS (evidence->best); i++)
    miss *= 1.0 - evidence->best[i];
  return 1.0 - miss;
}

/* Every organization holding `key` in `map` gets this evidence. */
static void
add_key_matches (GHashTable    *candidates,
                 GHashTable    *map,
                 const char    *key,
                 PdMatchReason  reason,
                 double         score)
{
  SlotList slots;

  multimap_lookup (map, key, &slots);
  for (guint i = 0; i < slots.len; i++)
    add_evidence (candidates, slots.data[i], reason, score);
}

static void
ensure_counts (PdDuplicates *self)
{
  if (self->counts_size >= self->entries->len)
    return;
  g_free (self->counts);
  self->counts_size = MAX (self->entries->len, 1024);
  self->counts = g_new0 (guint16, self->counts_size);
}

/* Counts shared trigrams per indexed name and records those similar enough. Only the
 * touched counters are reset, so a query costs the posting lists it reads, not the index. */
static void
add_similar_names (PdDuplicates *self,
                   GHashTable   *candidates,
                   const char   *name_key)
{
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *trigrams = NULL;
  guint n_trigrams;

  trigrams = make_trigrams (name_key, &n_trigrams);
  ensure_counts (self);
  for (guint i = 0; i < n_trigrams; i++)
    {
      SlotList slots;

      multimap_lookup (self->by_trigram, GUINT_TO_POINTER (trigrams[i]), &slots);
      for (guint j = 0; j < slots.len; j++)
        {
          guint32 slot = slots.data[j];

          if (self->counts[slot]++ == 0)
            g_array_append_val (touched, slot);
        }
    }
  for (guint i = 0; i < touched->len; i++)
    {
      guint32 slot = g_array_index (touched, guint32, i);
      Entry *entry = g_ptr_array_index (self->entries, slot);
      double similarity = jaccard (self->counts[slot], n_trigrams, entry->n_trigrams);

      self->counts[slot] = 0;
      if (similarity < MIN_NAME_JACCARD)
        continue;
      /* Equal trigram sets are almost always equal names; compare only those. */
      if (similarity >= 1.0 && strcmp (entry->name_key, name_key) == 0)
        add_evidence (candidates, slot, PD_MATCH_SAME_NAME, SCORE_SAME_NAME);
      else
        add_evidence (candidates, slot, PD_MATCH_SIMILAR_NAME, SCORE_SIMILAR_SCALE * similarity);
    }
}

static void
add_name_evidence (PdDuplicates *self,
                   GHashTable   *candidates,
                   const char   *name,
                   const char   *prefix_key)
{
  g_autofree char *name_key = null_if_empty (pd_duplicates_normalize_name (name));
  g_autofree char *compact = NULL;

  if (name_key != NULL)
    {
      compact = compact_name (name_key);
      add_key_matches (candidates, self->by_prefix, compact, PD_MATCH_SIMILAR_NAME,
                       SCORE_NAME_PREFIX);
      add_similar_names (self, candidates, name_key);
    }
  if (prefix_key != NULL)
    add_key_matches (candidates, self->by_compact, prefix_key, PD_MATCH_SIMILAR_NAME,
                     SCORE_NAME_PREFIX);
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b)
{
  const PdDuplicateMatch *x = *(PdDuplicateMatch * const *) a;
  const PdDuplicateMatch *y = *(PdDuplicateMatch * const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->org_id < y->org_id ? -1 : x->org_id > y->org_id;
}

static GPtrArray *
collect_matches (PdDuplicates *self,
                 GHashTable   *candidates,
                 gint64        exclude_id,
                 double        min_score,
                 guint         max_results)
{
  GPtrArray *matches = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_duplicate_match_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, candidates);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = g_ptr_array_index (self->entries, GPOINTER_TO_UINT (key));
      Evidence *evidence = value;
      PdDuplicateMatch *match;
      double score = evidence_score (evidence);

      if (entry->org_id == exclude_id || score < min_score)
        continue;
      match = g_new0 (PdDuplicateMatch, 1);
      match->org_id = entry->org_id;
      match->name = g_strdup (entry->name);
      match->tenant_id = g_strdup (entry->tenant_id);
      match->score = score;
      match->reasons = evidence->reasons;
      if (match->reasons & PD_MATCH_SAME_NAME)
        match->reasons &= ~PD_MATCH_SIMILAR_NAME;
      g_ptr_array_add (matches, match);
    }
  g_ptr_array_sort (matches, compare_matches);
  if (max_results > 0 && matches->len > max_results)
    g_ptr_array_set_size (matches, max_results);
  return matches;
}

GPtrArray *
pd_duplicates_find (PdDuplicates *self,
                    const char   *name,
                    const char   *domain,
                    const char   *tenant_id,
                    const char   *erp_id,
                    gint64        exclude_id,
                    double        min_score,
                    guint         max_results)
{
  g_autoptr(GHashTable) candidates = NULL;
  g_autofree char *tenant_key = key_or_null (tenant_id);
  g_autofree char *erp_key = key_or_null (erp_id);
  g_autofree char *domain_key = null_if_empty (pd_duplicates_normalize_domain (domain));
  g_autofree char *prefix_key = NULL;

  g_return_val_if_fail (PD_IS_DUPLICATES (self), NULL);

  candidates = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  add_key_matches (candidates, self->by_tenant, tenant_key, PD_MATCH_SAME_TENANT,
                   SCORE_SAME_TENANT);
  add_key_matches (candidates, self->by_domain, domain_key, PD_MATCH_SAME_DOMAIN,
                   SCORE_SAME_DOMAIN);
  add_key_matches (candidates, self->by_erp, erp_key, PD_MATCH_SAME_ERP_ID, SCORE_SAME_ERP_ID);
  if (domain_key != NULL)
    prefix_key = onmicrosoft_prefix (domain_key);
  add_name_evidence (self, candidates, name, prefix_key);

  return collect_matches (self, candidates, exclude_id, min_score, max_results);
}

/* --- Groups ------------------------------------------------------------------------------- */

static guint32
uf_find (guint32 *parent,
         guint32  x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

static void
uf_union (guint32 *parent,
          guint32  a,
          guint32  b)
{
  a = uf_find (parent, a);
  b = uf_find (parent, b);
  if (a != b)
    parent[MAX (a, b)] = MIN (a, b);
}

static void
union_multimap (guint32    *parent,
                GHashTable *map)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotList slots;

      slot_list_init (&slots, value);
      for (guint i = 1; i < slots.len; i++)
        uf_union (parent, slots.data[0], slots.data[i]);
    }
}

/* onmicrosoft prefixes against compact names: "contoso.onmicrosoft.com" joins "Contoso Ltd". */
static void
union_prefixes (PdDuplicates *self,
                guint32      *parent)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_prefix);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlotList with_prefix, named;

      slot_list_init (&with_prefix, value);
      multimap_lookup (self->by_compact, key, &named);
      for (guint i = 0; i < named.len; i++)
        uf_union (parent, with_prefix.data[0], named.data[i]);
    }
}

/* Slots whose prefix holds one trigram, in ascending trigram count (entries are joined in
 * that order); those before `start` are too short for every later entry and are skipped. */
typedef struct {
  GArray *slots;
  guint   start;
} PrefixList;

static void
prefix_list_free (PrefixList *list)
{
  g_array_unref (list->slots);
  g_free (list);
}

typedef struct {
  PdDuplicates *self;
  guint32      *sorted;     /* scratch: one entry's trigrams, rarest first */
  GHashTable   *prefixes;   /* trigram → PrefixList */
  GHashTable   *frequency;  /* trigram → number of names holding it */
  guint32      *stamp;      /* slot → 1 + the slot whose candidates were last collected */
  guint16      *lengths;    /* slot → trigram count, dense: no entry dereference per candidate */
  double        threshold;
} Join;

static guint
trigram_frequency (Join    *join,
                   guint32  trigram)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (join->frequency, GUINT_TO_POINTER (trigram)));
}

static int
compare_by_frequency (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  Join *join = user_data;
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;
  guint fx = trigram_frequency (join, x);
  guint fy = trigram_frequency (join, y);

  if (fx != fy)
    return fx < fy ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Two trigram sets with Jaccard >= t share a trigram among the first n - ceil(t n) + 1 of
 * each, in any fixed global order (prefix filtering); rarest-first keeps those lists short. */
static guint
prefix_length (guint  n,
               double threshold)
{
  guint keep = (guint) (threshold * n + 0.999999);

  return MIN (n, n - MIN (keep, n) + 1);
}

static void
join_verify (Join     *join,
             Entry    *entry,
             guint32   slot,
             guint32   other_slot,
             guint32  *parent)
{
  Entry *other = g_ptr_array_index (join->self->entries, other_slot);
  /* J >= t  <=>  common >= t / (1 + t) * (n_a + n_b) */
  guint needed = (guint) (join->threshold / (1.0 + join->threshold)
                          * (entry->n_trigrams + other->n_trigrams));
  guint common = count_common (entry->trigrams, entry->n_trigrams,
                               other->trigrams, other->n_trigrams, needed);

  if (jaccard (common, entry->n_trigrams, other->n_trigrams) >= join->threshold)
    uf_union (parent, slot, other_slot);
}

static PrefixList *
prefix_list (Join    *join,
             guint32  trigram)
{
  PrefixList *list = g_hash_table_lookup (join->prefixes, GUINT_TO_POINTER (trigram));

  if (list == NULL)
    {
      list = g_new0 (PrefixList, 1);
      list->slots = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (join->prefixes, GUINT_TO_POINTER (trigram), list);
    }
  return list;
}

static void
join_probe (Join     *join,
            guint32   slot,
            guint32  *parent)
{
  Entry *entry = g_ptr_array_index (join->self->entries, slot);
  guint n_prefix = prefix_length (entry->n_trigrams, join->threshold);
  double min_length = join->threshold * entry->n_trigrams;

  for (guint k = 0; k < n_prefix; k++)
    {
      PrefixList *list = prefix_list (join, join->sorted[k]);

      /* Earlier entries are never longer; the too-short ones stay too short. */
      while (list->start < list->slots->len
             && join->lengths[g_array_index (list->slots, guint32, list->start)] < min_length)
        list->start++;
      for (guint j = list->start; j < list->slots->len; j++)
        {
          guint32 other_slot = g_array_index (list->slots, guint32, j);

          /* Each pair once, and not when another path already joined them. */
          if (join->stamp[other_slot] != slot + 1
              && uf_find (parent, slot) != uf_find (parent, other_slot))
            join_verify (join, entry, slot, other_slot, parent);
          join->stamp[other_slot] = slot + 1;
        }
      g_array_append_val (list->slots, slot);
    }
}

static int
compare_by_length (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const guint16 *lengths = user_data;
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  if (lengths[x] != lengths[y])
    return lengths[x] < lengths[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* One slot per distinct normalised name (identical names are already joined, see
 * pd_duplicates_find_groups()), shortest trigram set first; fills join->lengths. */
static GArray *
join_order (Join *join)
{
  PdDuplicates *self = join->self;
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_name);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SlotList slots;
      guint32 slot;
      Entry *entry;

      slot_list_init (&slots, value);
      slot = slots.data[0];
      entry = g_ptr_array_index (self->entries, slot);

      if (entry->n_trigrams == 0)
        continue;
      join->lengths[slot] = entry->n_trigrams;
      g_array_append_val (order, slot);
    }
  g_qsort_with_data (order->data, order->len, sizeof (guint32), compare_by_length,
                     join->lengths);
  return order;
}

static GHashTable *
trigram_frequencies (PdDuplicates *self)
{
  GHashTable *frequency = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_trigram);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SlotList slots;

      slot_list_init (&slots, value);
      g_hash_table_insert (frequency, key, GUINT_TO_POINTER (slots.len));
    }
  return frequency;
}

static void
union_similar_names (PdDuplicates *self,
                     guint32      *parent,
                     double        threshold)
{
  Join join = { self, NULL, NULL, NULL, NULL, NULL, threshold };
  g_autoptr(GArray) order = NULL;

  join.sorted = g_new (guint32, MAX_TRIGRAMS);
  join.prefixes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) prefix_list_free);
  join.frequency = trigram_frequencies (self);
  join.stamp = g_new0 (guint32, self->entries->len);
  join.lengths = g_new0 (guint16, self->entries->len);
  order = join_order (&join);
  for (guint i = 0; i < order->len; i++)
    {
      guint32 slot = g_array_index (order, guint32, i);
      Entry *entry = g_ptr_array_index (self->entries, slot);

      memcpy (join.sorted, entry->trigrams, entry->n_trigrams * sizeof (guint32));
      g_qsort_with_data (join.sorted, entry->n_trigrams, sizeof (guint32), compare_by_frequency,
                         &join);
      join_probe (&join, slot, parent);
    }
  g_free (join.sorted);
  g_hash_table_unref (join.prefixes);
  g_hash_table_unref (join.frequency);
  g_free (join.stamp);
  g_free (join.lengths);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  GArray *x = *(GArray * const *) a;
  GArray *y = *(GArray * const *) b;

  return compare_gint64 (&g_array_index (x, gint64, 0), &g_array_index (y, gint64, 0));
}

static GPtrArray *
collect_groups (PdDuplicates *self,
                guint32      *parent)
{
  g_autoptr(GHashTable) by_root = g_hash_table_new (g_direct_hash, g_direct_equal);
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint32 slot = 0; slot < self->entries->len; slot++)
    {
      Entry *entry = g_ptr_array_index (self->entries, slot);
      guint32 root;
      GArray *group;

      if (entry == NULL)
        continue;
      root = uf_find (parent, slot);
      group = g_hash_table_lookup (by_root, GUINT_TO_POINTER (root));
      if (group == NULL)
        {
          group = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_root, GUINT_TO_POINTER (root), group);
          g_ptr_array_add (groups, group);
        }
      g_array_append_val (group, entry->org_id);
    }
  for (guint i = groups->len; i > 0; i--)
    {
      GArray *group = g_ptr_array_index (groups, i - 1);

      if (group->len < 2)
        g_ptr_array_remove_index_fast (groups, i - 1);
      else
        g_array_sort (group, compare_gint64);
    }
  g_ptr_array_sort (groups, compare_groups);
  return groups;
}

GPtrArray *
pd_duplicates_find_groups (PdDuplicates *self,
                           double        min_score)
{
  g_autofree guint32 *parent = NULL;

  g_return_val_if_fail (PD_IS_DUPLICATES (self), NULL);

  parent = g_new (guint32, MAX (self->entries->len, 1));
  for (guint32 slot = 0; slot < self->entries->len; slot++)
    parent[slot] = slot;

  union_multimap (parent, self->by_tenant);
  if (SCORE_SAME_DOMAIN >= min_score)
    union_multimap (parent, self->by_domain);
  if (SCORE_SAME_ERP_ID >= min_score)
    union_multimap (parent, self->by_erp);
  if (SCORE_SAME_NAME >= min_score)
    union_multimap (parent, self->by_name);
  if (SCORE_NAME_PREFIX >= min_score)
    union_prefixes (self, parent);
  /* Requires identical names to be joined already (SCORE_SAME_NAME > SCORE_SIMILAR_SCALE). */
  if (SCORE_SIMILAR_SCALE > min_score)
    union_similar_names (self, parent, MAX (min_score / SCORE_SIMILAR_SCALE, MIN_NAME_JACCARD));

  return collect_groups (self, parent);
}
