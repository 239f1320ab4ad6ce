/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-duplicates-keys.c — the keys of the duplicate index, as pure functions: names and
 * domains normalised (case, accents, transliteration, punctuation, legal suffixes), compact
 * names, onmicrosoft prefixes, and the sorted byte trigrams that similar names share.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pd-duplicates-private.h"

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
char *
_pd_dup_onmicrosoft_prefix (const char *normalized_domain)
{
  if (!g_str_has_suffix (normalized_domain, ONMICROSOFT_SUFFIX)
      || strlen (normalized_domain) == strlen (ONMICROSOFT_SUFFIX))
    return NULL;
  return dup_without (normalized_domain, strcspn (normalized_domain, "."), '-');
}

char *
_pd_dup_compact_name (const char *normalized_name)
{
  return dup_without (normalized_name, strlen (normalized_name), ' ');
}

/* NULL for NULL or blank input; otherwise trimmed and ASCII-lower-cased. */
char *
_pd_dup_key_or_null (const char *text)
{
  char *key;

  if (text == NULL)
    return NULL;
  key = g_strstrip (g_ascii_strdown (text, -1));
  if (*key == '\0')
    g_clear_pointer (&key, g_free);
  return key;
}

char *
_pd_dup_null_if_empty (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

void
_pd_dup_org_keys_init (OrgKeys    *keys,
                       const char *name,
                       const char *domain,
                       const char *erp_id)
{
  keys->domain_key = _pd_dup_null_if_empty (pd_duplicates_normalize_domain (domain));
  keys->name_key = _pd_dup_null_if_empty (pd_duplicates_normalize_name (name));
  keys->erp_key = _pd_dup_key_or_null (erp_id);
}

void
_pd_dup_org_keys_clear (OrgKeys *keys)
{
  g_clear_pointer (&keys->domain_key, g_free);
  g_clear_pointer (&keys->name_key, g_free);
  g_clear_pointer (&keys->erp_key, g_free);
}

/* --- Trigrams ----------------------------------------------------------------------------- */

int
_pd_dup_compare_guint32 (const void *a,
                         const void *b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Sorted, distinct byte trigrams of "  name ", so that short names and word starts count. */
guint32 *
_pd_dup_make_trigrams (const char *normalized_name,
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
  qsort (trigrams, len - 2, sizeof (guint32), _pd_dup_compare_guint32);
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
guint
_pd_dup_count_common (const guint32 *a,
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

double
_pd_dup_jaccard (guint common,
                 guint n_a,
                 guint n_b)
{
  guint union_size = n_a + n_b - common;

  return union_size == 0 ? 0.0 : (double) common / union_size;
}
