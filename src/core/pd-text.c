/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-text.c — keeping untrusted text in its place. The CLI's lines and the app's dialogs
 * both show Partner Center's values inside sentences of their own. */
#include "config.h"

#include <string.h>

#include "pd-text.h"

static gboolean
is_line_break (gunichar c)
{
  /* Unicode's mandatory breaks (UAX #14 BK, CR, LF, NL): a terminal breaks at the first ones,
   * Pango (GTK's labels) at all of them. */
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028
         || c == 0x2029;
}

gboolean
pd_text_is_control (gunichar c)
{
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f)
         || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

gunichar
pd_text_find_unsavable (const char *text,
                        gboolean    multi_line)
{
  g_autofree char *valid = text != NULL ? g_utf8_make_valid (text, -1) : NULL;

  for (const char *p = valid; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (pd_text_is_control (c) || (!multi_line && (c == '\n' || c == '\t')))
        return c;
    }
  return 0;
}

/* What a character of a copy becomes: NULL keeps it. p: where it stands (c is its value). */
typedef const char *(*CharMap) (const char *p,
                                gunichar    c);

/* A copy of text, made valid UTF-8, with each character as map says. NULL for NULL. */
static char *
copy_mapped (const char *text,
             CharMap     map)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *to = map (p, g_utf8_get_char (p));

      if (to != NULL)
        g_string_append (out, to);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static const char *
break_to_space (const char *p,
                gunichar    c)
{
  return is_line_break (c) ? " " : NULL;
}

static const char *
for_label (const char *p,
           gunichar    c)
{
  if (is_line_break (c))
    return " ";
  /* U+FFFD, the replacement character; a tab is text. */
  return pd_text_is_control (c) && c != '\t' ? "\xef\xbf\xbd" : NULL;
}

static const char *
break_to_line_feed (const char *p,
                    gunichar    c)
{
  /* CR LF is one break: its CR goes. */
  if (c == '\r' && p[1] == '\n')
    return "";
  return is_line_break (c) ? "\n" : NULL;
}

char *
pd_text_one_line (const char *text)
{
  return copy_mapped (text, break_to_space);
}

char *
pd_text_for_label (const char *text)
{
  return copy_mapped (text, for_label);
}

char *
pd_text_unix_lines (const char *text)
{
  return copy_mapped (text, break_to_line_feed);
}
