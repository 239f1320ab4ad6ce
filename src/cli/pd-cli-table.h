/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-table.h — aligned text columns that fit the terminal. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PdCliTable PdCliTable;

/* (transfer full) */
PdCliTable *pd_cli_table_new             (const char * const *headers);
void        pd_cli_table_free            (PdCliTable         *table);
/* cells: one per header (NULL prints empty). */
void        pd_cli_table_add_row         (PdCliTable         *table,
                                          const char * const *cells);
/* Lets column shrink (cells cut with "…") down to min_width when the table is too wide. */
void        pd_cli_table_set_shrinkable  (PdCliTable         *table,
                                          guint               column,
                                          guint               min_width);
/* text (UTF-8, length -1 = NUL-terminated) with every pd_text_is_control character
 * replaced by U+FFFD, but a carriage return that ends a line ("\r\n"). Customer names come from Partner Center, where each customer writes its
 * own. (transfer full) */
char       *pd_cli_text_for_terminal    (const char         *text,
                                         gssize              length);
/* The table as text; max_width 0 = no limit. (transfer full) */
char       *pd_cli_table_render          (PdCliTable         *table,
                                          guint               max_width);
/* Appends the rows held to out and lets them go. The columns are sized (max_width as above)
 * to the rows held at the first call, and keep that width: a listing too long to hold sizes
 * them to its header and first rows, and cuts wider cells of later rows with "…". */
void        pd_cli_table_append_rows     (PdCliTable         *table,
                                          guint               max_width,
                                          GString            *out);

/* Columns of the terminal on stdout, or 0 when stdout is not a terminal. */
guint       pd_cli_terminal_width        (void);
/* Appends text to out, cut with "…" to at most width columns (wide characters take two);
 * returns the columns it took. */
guint       pd_cli_append_cut            (GString            *out,
                                          const char         *text,
                                          guint               width);
/* Display width of UTF-8 text (wide characters count two). */
guint       pd_cli_text_width            (const char         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCliTable, pd_cli_table_free)

G_END_DECLS
