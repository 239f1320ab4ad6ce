/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-collate.c — see pd-collate.h. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-collate.h"

/* Latin letters that Unicode does not decompose into a base letter and an accent. */
static const struct { gunichar c; const char *base; } unaccented[] = {
  { 0x0142, "l" }, { 0x00F8, "o" }, { 0x0111, "d" }, { 0x00DF, "ss" }, { 0x00E6, "ae" },
  { 0x0153, "oe" }, { 0x00FE, "th" }, { 0x0131, "i" }, { 0x0127, "h" }, { 0x00F0, "d" },
};

/* The C, POSIX and C.UTF-8 locales collate by code point: no order a reader knows. */
static gboolean
locale_has_collation (void)
{
  static gsize checked;
  static gboolean has;

  if (g_once_init_enter (&checked))
    {
      const char *name = setlocale (LC_COLLATE, NULL);

      has = name != NULL && strcmp (name, "C") != 0 && strcmp (name, "POSIX") != 0
            && !g_str_has_prefix (name, "C.");
      g_once_init_leave (&checked, 1);
    }
  return has;
}

static void
append_base (GString  *out,
             gunichar  c)
{
  gunichar lower = g_unichar_tolower (c);

  for (guint i = 0; i < G_N_ELEMENTS (unaccented); i++)
    if (unaccented[i].c == lower)
      {
        g_string_append (out, unaccented[i].base);
        return;
      }
  g_string_append_unichar (out, lower);
}

/* Base letters in lower case, then \1 and the text itself. Each character's canonical
 * decomposition less its marks: NFD's but without the reordering, which moves only marks
 * (every character with a combining class is one). */
static void
append_base_letter_key (GString    *key,
                        const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
      {
        guchar b = (guchar) *p;
        gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
        gsize n;

        if (b < 0x80)
          {
            g_string_append_c (key, (char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b));
            continue;
          }
        n = g_unichar_fully_decompose (g_utf8_get_char (p), FALSE, parts, G_N_ELEMENTS (parts));
        for (gsize i = 0; i < n; i++)
          if (!g_unichar_ismark (parts[i]))
            append_base (key, parts[i]);
      }
  g_string_append_c (key, '\1');
  g_string_append (key, text);
}

/* The common case without normalising or allocating: the list makes a key per
 * organization. FALSE when text is not ASCII. */
static gboolean
append_ascii_key (GString    *key,
                  const char *text)
{
  gsize at = key->len, len = 0;
  char *to;

  for (const char *p = text; *p != '\0'; p++, len++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  g_string_set_size (key, at + 2 * len + 1);
  to = key->str + at;
  for (gsize i = 0; i < len; i++)
    to[i] = (char) (text[i] >= 'A' && text[i] <= 'Z' ? text[i] + ('a' - 'A') : text[i]);
  to[len] = '\1';
  memcpy (to + len + 1, text, len);
  return TRUE;
}

void
pd_collate_append_key (GString    *key,
                       const char *text)
{
  if (text == NULL)
    text = "";
  if (locale_has_collation ())
    {
      g_autofree char *collated = g_utf8_collate_key (text, -1);

      g_string_append (key, collated);
    }
  else if (!append_ascii_key (key, text))
    append_base_letter_key (key, text);
}

char *
pd_collate_key (const char *text)
{
  GString *key = g_string_sized_new (text != NULL ? 2 * strlen (text) + 2 : 2);

  pd_collate_append_key (key, text);
  return g_string_free (key, FALSE);
}

int
pd_collate (const char *a,
            const char *b)
{
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;
  int result;

  a = a != NULL ? a : "";
  b = b != NULL ? b : "";
  /* The same order as the keys: lower-case bytes, then the text. */
  if (!locale_has_collation () && g_str_is_ascii (a) && g_str_is_ascii (b))
    {
      result = g_ascii_strcasecmp (a, b);
      return result != 0 ? result : strcmp (a, b);
    }
  key_a = pd_collate_key (a);
  key_b = pd_collate_key (b);
  return strcmp (key_a, key_b);
}
