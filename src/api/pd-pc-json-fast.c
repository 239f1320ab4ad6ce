/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-pc-json-fast.c — a single-pass reader for the customer list page, the one body a full
 * sync reads 200 times for 100,000 customers.
 *
 * json-glib builds a tree and emits a GObject signal per member and element, which costs
 * about ten times the page's own size in allocations. This reader walks the text once and
 * copies only the fields PdPcCustomer keeps. It is deliberately narrow: strict JSON, exact
 * camelCase keys, strings where strings are expected. Anything else (a syntax error, a
 * lenient construct, a PascalCase key, a number as an id, an embedded billing profile) makes
 * it give up, and the caller parses the page with json-glib instead, which defines the
 * behaviour; the customer-page fuzz target checks that both agree.
 */
#include "config.h"

#include <string.h>

#include "pd-pc-json.h"

#define MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
  gboolean    failed;   /* give up: the caller falls back to json-glib */
  GString    *key;      /* scratch for member names: only read before the value is */
} Reader;

/* Keys the customer mapping reads; a key equal to one of these but for case means the body
 * is not in the expected casing. */
static const char * const known_keys[] = {
  "items", "links", "next", "uri", "headers", "key", "value", "continuationToken", "id",
  "commerceId", "companyProfile", "tenantId", "domain", "companyName", "relationshipToPartner",
  "allowDelegatedAccess", "customDomains", "associatedPartnerId", "billingProfile", NULL
};

static gboolean
give_up (Reader *r)
{
  r->failed = TRUE;
  return FALSE;
}

static void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

/* Consumes c (after white space) when it is next. */
static gboolean
accept (Reader *r,
        char    c)
{
  skip_ws (r);
  if (r->p < r->end && *r->p == c)
    {
      r->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
expect (Reader *r,
        char    c)
{
  return accept (r, c) || give_up (r);
}

static char
peek (Reader *r)
{
  skip_ws (r);
  return r->p < r->end ? *r->p : '\0';
}

/* The value of the 4 hex digits at p (end permitting), or -1. */
static gint
hex4_value (const char *p,
            const char *end)
{
  gint value = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      gint digit = g_ascii_xdigit_value (p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

gsize
pd_pc_json_escape_length (const char *p,
                          const char *end,
                          gunichar   *out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *hit;
  gunichar ignored;
  gint unit, low;

  if (out == NULL)
    out = &ignored;
  if (p >= end)
    return 0;
  if (*p != 'u')
    {
      hit = *p != '\0' ? strchr (from, *p) : NULL;
      if (hit == NULL)
        return 0;
      *out = (guchar) to[hit - from];
      return 1;
    }
  unit = hex4_value (p + 1, end);
  if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF))
    return 0;
  *out = (gunichar) unit;
  if (unit < 0xD800 || unit > 0xDBFF)
    return 5;
  if (end - p < 11 || p[5] != '\\' || p[6] != 'u')
    return 0;
  low = hex4_value (p + 7, end);
  if (low < 0xDC00 || low > 0xDFFF)
    return 0;
  *out = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
  return 11;
}

/* r->p is just after a backslash. A NUL ("\u0000") is left to json-glib. */
static gboolean
read_escape (Reader  *r,
             GString *out)
{
  gunichar c;
  gsize length = pd_pc_json_escape_length (r->p, r->end, &c);

  if (length == 0 || c == 0)
    return give_up (r);
  if (out != NULL)
    g_string_append_unichar (out, c);
  r->p += length;
  return TRUE;
}

/* A string into out (or only checked when out is NULL); r->p is on the opening quote. */
static gboolean
read_string (Reader  *r,
             GString *out)
{
  const char *start;

  if (!expect (r, '"'))
    return FALSE;
  for (;;)
    {
      guchar high = 0;

      start = r->p;
      while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (guchar) *r->p >= 0x20)
        high |= (guchar) *r->p++;
      if (r->p >= r->end || (guchar) *r->p < 0x20)
        return give_up (r);
      if ((high & 0x80) && !g_utf8_validate (start, r->p - start, NULL))
        return give_up (r);
      if (out != NULL)
        g_string_append_len (out, start, r->p - start);
      if (*r->p == '"')
        {
          r->p++;
          return TRUE;
        }
      r->p++;   /* the backslash */
      if (!read_escape (r, out))
        return FALSE;
    }
}

/* A string value as a new C string; NULL for null (and on failure: r->failed tells them
 * apart); gives up on other types. */
static char *
read_string_or_null (Reader *r)
{
  GString *out;

  if (peek (r) == 'n')
    {
      if (r->end - r->p < 4 || memcmp (r->p, "null", 4) != 0)
        return give_up (r), NULL;
      r->p += 4;
      return NULL;
    }
  if (peek (r) != '"')
    return give_up (r), NULL;
  /* Most values have no escape: copy them in one go. */
  for (const char *q = r->p + 1; q < r->end; q++)
    if (*q == '"')
      {
        const char *start = r->p + 1;
        if (!g_utf8_validate (start, q - start, NULL))
          return give_up (r), NULL;
        r->p = q + 1;
        return g_strndup (start, q - start);
      }
    else if (*q == '\\' || (guchar) *q < 0x20)
      break;
  out = g_string_new (NULL);
  if (!read_string (r, out))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* A string into *field as it is ("" too), or NULL for null; the last one read wins. */
static gboolean
read_nullable (Reader  *r,
               char   **field)
{
  g_free (*field);
  *field = read_string_or_null (r);
  return !r->failed;
}

/* Like dup_nonempty in pd-pc-json.c: "" and null are unset. */
static gboolean
read_nonempty (Reader  *r,
               char   **field)
{
  if (read_nullable (r, field) && *field != NULL && **field == '\0')
    g_clear_pointer (field, g_free);
  return !r->failed;
}

static gboolean skip_value (Reader *r);

static gboolean
read_literal (Reader     *r,
              const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return give_up (r);
  r->p += len;
  return TRUE;
}

/* Strict JSON numbers only; very long integers are left to json-glib. */
static gboolean
skip_number (Reader *r)
{
  const char *start = r->p;
  const char *digits;

  if (r->p < r->end && *r->p == '-')
    r->p++;
  digits = r->p;
  while (r->p < r->end && g_ascii_isdigit (*r->p))
    r->p++;
  if (r->p == digits || (r->p - digits > 1 && *digits == '0') || r->p - start > 18)
    return give_up (r);
  if (r->p < r->end && *r->p == '.')
    {
      const char *fraction = ++r->p;
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
      if (r->p == fraction)
        return give_up (r);
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    return give_up (r);
  return TRUE;
}

typedef gboolean (*MemberFunc) (Reader *r, const char *key, gpointer data);

/* Called for every key of the page, so the (rare) case-insensitive comparison only runs
 * for a known key of the same length. */
static gboolean
is_near_miss (const char *key,
              gsize       len)
{
  static gsize known_lengths[G_N_ELEMENTS (known_keys)];

  if (G_UNLIKELY (known_lengths[0] == 0))
    for (guint i = 0; known_keys[i] != NULL; i++)
      known_lengths[i] = strlen (known_keys[i]);
  for (guint i = 0; known_keys[i] != NULL; i++)
    if (known_lengths[i] == len && g_ascii_strcasecmp (key, known_keys[i]) == 0)
      return strcmp (key, known_keys[i]) != 0;
  return FALSE;
}

/* An object: member() reads or skips each value. */
static gboolean
read_object (Reader     *r,
             MemberFunc  member,
             gpointer    data)
{
  GString *key = r->key;

  if (!expect (r, '{') || ++r->depth > MAX_DEPTH)
    return give_up (r);
  if (accept (r, '}'))
    {
      r->depth--;
      return TRUE;
    }
  do
    {
      g_string_truncate (key, 0);
      if (peek (r) != '"' || !read_string (r, key) || !expect (r, ':'))
        return give_up (r);
      if (strlen (key->str) != key->len || is_near_miss (key->str, key->len))
        return give_up (r);
      if (!member (r, key->str, data))
        return give_up (r);
    }
  while (accept (r, ','));
  r->depth--;
  return expect (r, '}');
}

typedef gboolean (*ElementFunc) (Reader *r, gpointer data);

static gboolean
read_array (Reader      *r,
            ElementFunc  element,
            gpointer     data)
{
  if (!expect (r, '[') || ++r->depth > MAX_DEPTH)
    return give_up (r);
  if (accept (r, ']'))
    {
      r->depth--;
      return TRUE;
    }
  do
    if (!element (r, data))
      return give_up (r);
  while (accept (r, ','));
  r->depth--;
  return expect (r, ']');
}

static gboolean
skip_member (Reader     *r,
             const char *key,
             gpointer    data)
{
  return skip_value (r);
}

static gboolean
skip_element (Reader   *r,
              gpointer  data)
{
  return skip_value (r);
}

static gboolean
skip_value (Reader *r)
{
  switch (peek (r))
    {
    case '{': return read_object (r, skip_member, NULL);
    case '[': return read_array (r, skip_element, NULL);
    case '"': return read_string (r, NULL);
    case 't': return read_literal (r, "true");
    case 'f': return read_literal (r, "false");
    case 'n': return read_literal (r, "null");
    default:  return skip_number (r);
    }
}

/* --- a customer ------------------------------------------------------------------------ */

typedef struct {
  PdPcCustomer *c;
  char         *tenant_id;      /* companyProfile.tenantId */
} CustomerState;

static gboolean
company_member (Reader     *r,
                const char *key,
                gpointer    data)
{
  CustomerState *state = data;

  if (strcmp (key, "tenantId") == 0)
    return read_nonempty (r, &state->tenant_id);
  if (strcmp (key, "domain") == 0)
    return read_nonempty (r, &state->c->domain);
  if (strcmp (key, "companyName") == 0)
    return read_nonempty (r, &state->c->company_name);
  return skip_value (r);
}

/* As json-glib reads it, the last companyProfile member wins, whatever came before. */
static gboolean
read_company (Reader        *r,
              CustomerState *state)
{
  g_clear_pointer (&state->tenant_id, g_free);
  g_clear_pointer (&state->c->domain, g_free);
  g_clear_pointer (&state->c->company_name, g_free);
  if (peek (r) == '{')
    return read_object (r, company_member, state);
  return skip_value (r);
}

static gboolean
domain_element (Reader   *r,
                gpointer  data)
{
  GPtrArray *domains = data;
  char *value = NULL;

  if (!read_nonempty (r, &value))
    return FALSE;
  if (value != NULL)
    g_ptr_array_add (domains, value);
  return TRUE;
}

static gboolean
read_domains (Reader       *r,
              PdPcCustomer *c)
{
  GPtrArray *domains;

  g_clear_pointer (&c->custom_domains, g_strfreev);
  if (peek (r) == 'n')
    return read_literal (r, "null");
  if (peek (r) != '[')
    return give_up (r);
  domains = g_ptr_array_new_with_free_func (g_free);
  if (!read_array (r, domain_element, domains))
    {
      g_ptr_array_unref (domains);
      return FALSE;
    }
  if (domains->len > 0)
    {
      g_ptr_array_add (domains, NULL);
      c->custom_domains = (char **) g_ptr_array_free (domains, FALSE);
    }
  else
    g_ptr_array_unref (domains);
  return TRUE;
}

/* true/false, or the strings "true"/"false" in any case; anything else is "not given". */
static gboolean
read_delegated_access (Reader       *r,
                       PdPcCustomer *c)
{
  char next = peek (r);
  g_autofree char *text = NULL;

  c->has_delegated_access_value = next == 't' || next == 'f';
  c->allow_delegated_access = next == 't';
  if (next == 't')
    return read_literal (r, "true");
  if (next == 'f')
    return read_literal (r, "false");
  text = read_string_or_null (r);
  if (r->failed)
    return FALSE;
  if (text != NULL)
    {
      c->allow_delegated_access = g_ascii_strcasecmp (text, "true") == 0;
      c->has_delegated_access_value = c->allow_delegated_access
                                      || g_ascii_strcasecmp (text, "false") == 0;
    }
  return TRUE;
}

static gboolean
customer_member (Reader     *r,
                 const char *key,
                 gpointer    data)
{
  CustomerState *state = data;
  PdPcCustomer *c = state->c;

  if (strcmp (key, "id") == 0)
    return read_nonempty (r, &c->id);
  if (strcmp (key, "commerceId") == 0)
    return read_nonempty (r, &c->commerce_id);
  if (strcmp (key, "companyProfile") == 0)
    return read_company (r, state);
  if (strcmp (key, "relationshipToPartner") == 0)
    return read_nonempty (r, &c->relationship);
  if (strcmp (key, "allowDelegatedAccess") == 0)
    return read_delegated_access (r, c);
  if (strcmp (key, "customDomains") == 0)
    return read_domains (r, c);
  if (strcmp (key, "associatedPartnerId") == 0)
    return read_nonempty (r, &c->associated_partner_id);
  if (strcmp (key, "billingProfile") == 0)
    return give_up (r);   /* needs the raw object: json-glib's job */
  return skip_value (r);
}

/* One element of items[]: a customer when it is an object with an identity (as read_items
 * in pd-pc-json.c decides), else skipped. */
static gboolean
item_element (Reader   *r,
              gpointer  data)
{
  GPtrArray *items = data;
  CustomerState state = { 0 };

  if (peek (r) != '{')
    return skip_value (r);
  state.c = g_new0 (PdPcCustomer, 1);
  if (!read_object (r, customer_member, &state))
    {
      pd_pc_customer_free (state.c);
      g_free (state.tenant_id);
      return FALSE;
    }
  if (state.c->id == NULL)
    state.c->id = g_steal_pointer (&state.tenant_id);
  g_free (state.tenant_id);
  /* The same ID rule as the json-glib mapping. */
  state.c->id = pd_pc_json_normalize_id (state.c->id);
  state.c->associated_partner_id = pd_pc_json_normalize_id (state.c->associated_partner_id);
  if (state.c->id != NULL)
    g_ptr_array_add (items, state.c);
  else
    pd_pc_customer_free (state.c);
  return TRUE;
}

/* --- the page ------------------------------------------------------------------------- */

typedef struct {
  GPtrArray  *items;
  PdPcPaging *paging;
  char       *header_key;
  char       *header_value;
} PageState;

static gboolean
header_member (Reader     *r,
               const char *key,
               gpointer    data)
{
  PageState *state = data;

  if (strcmp (key, "key") == 0)
    return read_nonempty (r, &state->header_key);
  if (strcmp (key, "value") == 0)
    return read_nullable (r, &state->header_value);
  return skip_value (r);
}

static gboolean
header_element (Reader   *r,
                gpointer  data)
{
  PageState *state = data;
  gboolean ok;

  if (peek (r) != '{')
    return skip_value (r);
  ok = read_object (r, header_member, state);
  if (ok && state->header_key != NULL && state->header_value != NULL)
    {
      g_ptr_array_add (state->paging->next_headers, g_steal_pointer (&state->header_key));
      g_ptr_array_add (state->paging->next_headers, g_steal_pointer (&state->header_value));
    }
  g_clear_pointer (&state->header_key, g_free);
  g_clear_pointer (&state->header_value, g_free);
  return ok;
}

static gboolean
next_member (Reader     *r,
             const char *key,
             gpointer    data)
{
  PageState *state = data;

  if (strcmp (key, "uri") == 0)
    return read_nonempty (r, &state->paging->next_uri);
  if (strcmp (key, "headers") == 0)
    {
      g_ptr_array_set_size (state->paging->next_headers, 0);
      return peek (r) == '[' ? read_array (r, header_element, state) : skip_value (r);
    }
  return skip_value (r);
}

static gboolean
links_member (Reader     *r,
              const char *key,
              gpointer    data)
{
  PageState *state = data;

  if (strcmp (key, "next") != 0)
    return skip_value (r);
  g_clear_pointer (&state->paging->next_uri, g_free);
  g_ptr_array_set_size (state->paging->next_headers, 0);
  return peek (r) == '{' ? read_object (r, next_member, state) : skip_value (r);
}

static gboolean
page_member (Reader     *r,
             const char *key,
             gpointer    data)
{
  PageState *state = data;

  if (strcmp (key, "items") == 0)
    {
      g_ptr_array_set_size (state->items, 0);
      if (peek (r) == 'n')
        return read_literal (r, "null");
      return peek (r) == '[' ? read_array (r, item_element, state->items) : give_up (r);
    }
  if (strcmp (key, "links") == 0)
    {
      g_clear_pointer (&state->paging->next_uri, g_free);
      g_ptr_array_set_size (state->paging->next_headers, 0);
      return peek (r) == '{' ? read_object (r, links_member, state) : skip_value (r);
    }
  if (strcmp (key, "continuationToken") == 0)
    {
      g_clear_pointer (&state->paging->continuation_token, g_free);
      state->paging->has_continuation_token = TRUE;
      /* json-glib turns a number into text: leave that to it. */
      if (peek (r) == '-' || g_ascii_isdigit (peek (r)))
        return give_up (r);
      if (peek (r) != '"' && peek (r) != 'n')
        return skip_value (r);
      return read_nullable (r, &state->paging->continuation_token);
    }
  return skip_value (r);
}

gboolean
pd_pc_json_parse_customer_page_fast (const char  *data,
                                     gsize        len,
                                     GPtrArray  **customers,
                                     PdPcPaging  *paging)
{
  g_autoptr(GString) key = g_string_sized_new (32);
  Reader r = { data, data + len, 0, FALSE, key };
  PageState state = { 0 };
  PdPcPaging local = { 0 };

  if (data == NULL || len == 0 || memchr (data, '\0', len) != NULL || peek (&r) != '{')
    return FALSE;
  state.items = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_pc_customer_free);
  state.paging = &local;
  local.next_headers = g_ptr_array_new_with_free_func (g_free);
  if (!read_object (&r, page_member, &state) || (skip_ws (&r), r.p != r.end))
    {
      g_ptr_array_unref (state.items);
      g_free (state.header_key);
      g_free (state.header_value);
      pd_pc_paging_clear (&local);
      return FALSE;
    }
  *customers = state.items;
  if (paging != NULL)
    *paging = local;
  else
    pd_pc_paging_clear (&local);
  return TRUE;
}
