/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-json-writer.c — JSON written as it is built (see the header). */
#include "config.h"

#include "core/pd-text.h"
#include "pd-cli-json-writer.h"
#include "pd-cli-table.h"

/* Objects and arrays nest far less deep than this in anything the CLI writes. */
#define MAX_DEPTH 32

typedef struct {
  gboolean is_array;
  gboolean has_values;
} Container;

struct _PdCliJsonWriter
{
  GString   *out;
  Container  open[MAX_DEPTH];
  guint      depth;         /* containers open */
};

PdCliJsonWriter *
pd_cli_json_writer_new (GString *out)
{
  PdCliJsonWriter *writer = g_new0 (PdCliJsonWriter, 1);

  writer->out = out;
  return writer;
}

void
pd_cli_json_writer_free (PdCliJsonWriter *writer)
{
  g_free (writer);
}

/* Two spaces a level, at once: a listing writes about 60 indents per organization. */
static void
append_indent (PdCliJsonWriter *writer)
{
  static const char spaces[2 * MAX_DEPTH] = { [0 ... 2 * MAX_DEPTH - 1] = ' ' };

  g_string_append_len (writer->out, spaces, 2 * writer->depth);
}

/* json-glib's escapes, and \uXXXX for every other control and every character
 * pd_cli_text_for_terminal would replace (json-glib leaves U+001F, C1 controls and bidi
 * overrides as they are). */
static void
append_escaped_char (GString  *out,
                     gunichar  c)
{
  switch (c)
    {
    case '"': g_string_append (out, "\\\""); return;
    case '\\': g_string_append (out, "\\\\"); return;
    case '\b': g_string_append (out, "\\b"); return;
    case '\f': g_string_append (out, "\\f"); return;
    case '\n': g_string_append (out, "\\n"); return;
    case '\r': g_string_append (out, "\\r"); return;
    case '\t': g_string_append (out, "\\t"); return;
    default:
      /* Only controls come here: the rest is copied as it is. */
      g_string_append_printf (out, "\\u%04x", c);
    }
}

/* A JSON string of text: invalid UTF-8 becomes U+FFFD, as on a terminal. Runs of characters
 * written as they are (most of a name) are copied at once. */
static void
append_string (GString    *out,
               const char *text)
{
  const char *end = text + strlen (text);
  const char *run = text;

  g_string_append_c (out, '"');
  while (text < end)
    {
      guchar byte = (guchar) *text;
      gunichar c;

      if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\')
        {
          text++;
          continue;
        }
      c = byte < 0x80 ? byte : g_utf8_get_char_validated (text, end - text);
      if (c != (gunichar) -1 && c != (gunichar) -2 && c >= 0x80 && !pd_text_is_control (c))
        {
          text = g_utf8_next_char (text);
          continue;
        }
      g_string_append_len (out, run, text - run);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append (out, "\xef\xbf\xbd");   /* U+FFFD, for one invalid byte */
          text++;
        }
      else
        {
          append_escaped_char (out, c);
          text = g_utf8_next_char (text);
        }
      run = text;
    }
  g_string_append_len (out, run, text - run);
  g_string_append_c (out, '"');
}

/* What comes before a value: its separator and indent in a container; nothing after a member
 * name (which wrote them) or at the root. */
static void
begin_value (PdCliJsonWriter *writer)
{
  Container *container;

  if (writer->depth == 0)
    return;
  container = &writer->open[writer->depth - 1];
  if (!container->is_array)
    return;
  g_string_append (writer->out, container->has_values ? ",\n" : "\n");
  container->has_values = TRUE;
  append_indent (writer);
}

static void
begin_container (PdCliJsonWriter *writer,
                 gboolean         is_array)
{
  g_return_if_fail (writer->depth < MAX_DEPTH);
  begin_value (writer);
  g_string_append_c (writer->out, is_array ? '[' : '{');
  writer->open[writer->depth++] = (Container) { is_array, FALSE };
}

/* json-glib closes an empty object with its indent but no newline ("{}" at the root, "{  }"
 * one level in), and an empty array as "[]" at any level. */
static void
end_container (PdCliJsonWriter *writer,
               gboolean         is_array)
{
  Container container;

  g_return_if_fail (writer->depth > 0 && writer->open[writer->depth - 1].is_array == is_array);
  container = writer->open[--writer->depth];
  if (container.has_values)
    {
      g_string_append_c (writer->out, '\n');
      append_indent (writer);
    }
  else if (!is_array)
    append_indent (writer);
  g_string_append_c (writer->out, is_array ? ']' : '}');
}

void
pd_cli_json_writer_begin_object (PdCliJsonWriter *writer)
{
  begin_container (writer, FALSE);
}

void
pd_cli_json_writer_end_object (PdCliJsonWriter *writer)
{
  end_container (writer, FALSE);
}

void
pd_cli_json_writer_begin_array (PdCliJsonWriter *writer)
{
  begin_container (writer, TRUE);
}

void
pd_cli_json_writer_end_array (PdCliJsonWriter *writer)
{
  end_container (writer, TRUE);
}

void
pd_cli_json_writer_set_member_name (PdCliJsonWriter *writer,
                                    const char      *name)
{
  Container *container;

  g_return_if_fail (writer->depth > 0 && !writer->open[writer->depth - 1].is_array);
  container = &writer->open[writer->depth - 1];
  g_string_append (writer->out, container->has_values ? ",\n" : "\n");
  container->has_values = TRUE;
  append_indent (writer);
  append_string (writer->out, name);
  g_string_append (writer->out, " : ");
}

void
pd_cli_json_writer_add_string_value (PdCliJsonWriter *writer,
                                     const char      *value)
{
  if (value == NULL)
    {
      pd_cli_json_writer_add_null_value (writer);
      return;
    }
  begin_value (writer);
  append_string (writer->out, value);
}

void
pd_cli_json_writer_add_int_value (PdCliJsonWriter *writer,
                                  gint64           value)
{
  begin_value (writer);
  g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, value);
}

void
pd_cli_json_writer_add_boolean_value (PdCliJsonWriter *writer,
                                      gboolean         value)
{
  begin_value (writer);
  g_string_append (writer->out, value ? "true" : "false");
}

void
pd_cli_json_writer_add_null_value (PdCliJsonWriter *writer)
{
  begin_value (writer);
  g_string_append (writer->out, "null");
}
