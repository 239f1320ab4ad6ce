/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-table.c — aligned text columns that fit the terminal. */
#include "config.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/pd-text.h"
#include "pd-cli-table.h"

#define COLUMN_GAP 2
/* No cell is wider than this, terminal or not: one 100 kB customer name would otherwise pad
 * every other row of a listing to its width. Full values stay in the JSON and CSV formats. */
#define CELL_MAX_WIDTH 60

struct _PdCliTable
{
  guint      n_columns;
  GPtrArray *rows;        /* of GStrv; row 0 is the header */
  guint     *min_width;   /* 0 = the column never shrinks */
  guint     *width;
  gboolean   sized;       /* width is set: the rows appended so far had it */
};

PdCliTable *
pd_cli_table_new (const char * const *headers)
{
  PdCliTable *table = g_new0 (PdCliTable, 1);

  table->n_columns = g_strv_length ((char **) headers);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->min_width = g_new0 (guint, table->n_columns);
  table->width = g_new0 (guint, table->n_columns);
  pd_cli_table_add_row (table, headers);
  return table;
}

void
pd_cli_table_free (PdCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table->min_width);
  g_free (table->width);
  g_free (table);
}

void
pd_cli_table_add_row (PdCliTable         *table,
                      const char * const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    {
      g_autofree char *line = g_strdup (cells[i] != NULL ? cells[i] : "");

      /* A tab or newline inside a cell would break the alignment of every row below; a
       * control is measured as the one-column U+FFFD it is printed as. */
      g_strdelimit (line, "\t\r\n", ' ');
      row[i] = pd_cli_text_for_terminal (line, -1);
    }
  g_ptr_array_add (table->rows, row);
}

void
pd_cli_table_set_shrinkable (PdCliTable *table,
                             guint       column,
                             guint       min_width)
{
  g_return_if_fail (column < table->n_columns);
  table->min_width[column] = MAX (min_width, 1);
}

char *
pd_cli_text_for_terminal (const char *text,
                          gssize      length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A carriage return just before a newline (CSV's line end) only ends the line. */
      if (pd_text_is_control (c) && !(c == '\r' && p[1] == '\n'))
        g_string_append (out, "\xef\xbf\xbd");   /* U+FFFD, the replacement character */
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

guint
pd_cli_text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

guint
pd_cli_terminal_width (void)
{
  struct winsize size = { 0 };

  if (!isatty (STDOUT_FILENO))
    return 0;
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return 80;
}

static void
measure (PdCliTable *table)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        table->width[c] = MIN (MAX (table->width[c], pd_cli_text_width (row[c])),
                               CELL_MAX_WIDTH);
    }
}

static guint
total_width (PdCliTable *table)
{
  guint total = COLUMN_GAP * (table->n_columns - 1);

  for (guint c = 0; c < table->n_columns; c++)
    total += table->width[c];
  return total;
}

/* Takes one column at a time from the widest shrinkable column, so that two long columns
 * (name and domain) end up sharing the room rather than one of them vanishing. */
static void
shrink_to_fit (PdCliTable *table,
               guint       max_width)
{
  while (total_width (table) > max_width)
    {
      int widest = -1;

      for (guint c = 0; c < table->n_columns; c++)
        if (table->min_width[c] > 0 && table->width[c] > table->min_width[c]
            && (widest < 0 || table->width[c] > table->width[widest]))
          widest = c;
      if (widest < 0)
        return;
      table->width[widest]--;
    }
}

guint
pd_cli_append_cut (GString    *out,
                   const char *text,
                   guint       width)
{
  guint used = 0;
  gboolean cut = pd_cli_text_width (text) > width;

  if (width == 0)
    return 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (cut && used + w > width - 1)
        break;
      g_string_append_unichar (out, c);
      used += w;
    }
  if (cut)
    {
      g_string_append (out, "…");
      used++;
    }
  return used;
}

static void
append_cell (GString    *out,
             const char *text,
             guint       width,
             gboolean    last)
{
  guint used = pd_cli_append_cut (out, text, width);

  if (!last)
    for (; used < width + COLUMN_GAP; used++)
      g_string_append_c (out, ' ');
}

void
pd_cli_table_append_rows (PdCliTable *table,
                          guint       max_width,
                          GString    *out)
{
  if (!table->sized)
    {
      measure (table);
      if (max_width > 0)
        shrink_to_fit (table, max_width);
      table->sized = TRUE;
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        append_cell (out, row[c], table->width[c], c + 1 == table->n_columns);
      g_string_append_c (out, '\n');
    }
  g_ptr_array_set_size (table->rows, 0);
}

char *
pd_cli_table_render (PdCliTable *table,
                     guint       max_width)
{
  GString *out = g_string_new (NULL);

  pd_cli_table_append_rows (table, max_width, out);
  return g_string_free (out, FALSE);
}
