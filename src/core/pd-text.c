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

char *
pd_text_for_label (const char *text)
{
  g_autofree char *line = pd_text_one_line (text);
  GString *out;

  if (line == NULL)
    return NULL;
  out = g_string_sized_new (strlen (line));
  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (pd_text_is_control (c) && c != '\t')
        g_string_append (out, "\xef\xbf\xbd");   /* U+FFFD, the replacement character */
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

char *
pd_text_unix_lines (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (p[0] == '\r' && p[1] == '\n')
        continue;
      if (is_line_break (g_utf8_get_char (p)))
        g_string_append_c (out, '\n');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
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

char *
pd_text_one_line (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_line_break (g_utf8_get_char (p)))
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}
