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
/* The first character of text that must not be saved in a field a user types (0 when none):
 * a control character (but a line break or a tab where multi_line), or one of the marks that
 * turn the direction of the text after them (U+202A–U+202E, U+2066–U+2069), which would show
 * a name other than it is. Invalid UTF-8 is read as made valid. */
gunichar pd_text_find_unsavable (const char *text,
                                 gboolean    multi_line);

G_END_DECLS
