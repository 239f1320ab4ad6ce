/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-text.h — keeping untrusted text (Partner Center's, or typed) in its place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of text with every line break (CR, LF, VT, FF, NEL, U+2028, U+2029) made a space,
 * so that a value shown inside a line of ours cannot start a line of its own: a name or a
 * read error "timed out\nBill-to complete" must not read as our claim. NULL for NULL; invalid
 * UTF-8 is made valid. (transfer full) */
char *pd_text_one_line (const char *text);
/* C0 controls but tab and newline, DEL, and C1 controls (U+0080–U+009F: 8-bit CSI, OSC…):
 * the bytes a terminal takes as commands. Also the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069): one a name leaves open reverses or reorders the rest of the
 * line (the CLI's columns after it, a name in the app: "Corp<U+202E>abc" shows "Corpcba").
 * Right-to-left text itself, and the marks U+200E/U+200F, which open nothing, stay. The CLI
 * prints none of them; a typed value holds none. */
gboolean pd_text_is_control      (gunichar    c);
/* A copy of text as a one-line label shows it: pd_text_one_line's, with every
 * pd_text_is_control character (a tab is text) as U+FFFD. Partner Center's values are shown
 * so: a name "Corp<U+202E>abc" would show "Corpcba", and reverse what follows it. NULL for
 * NULL. (transfer full) */
char    *pd_text_for_label       (const char *text);
/* A copy of text with every line break (CR LF, and each of those pd_text_one_line names) a
 * line feed: a note pasted from Windows keeps its lines. NULL for NULL; invalid UTF-8 is made
 * valid. (transfer full) */
char    *pd_text_unix_lines      (const char *text);
/* The first character of text that must not be saved in a field a user types (0 when none):
 * a pd_text_is_control one, or a line feed or tab unless multi_line. Invalid UTF-8 is read as
 * made valid. */
gunichar pd_text_find_unsavable (const char *text,
                                 gboolean    multi_line);

G_END_DECLS
