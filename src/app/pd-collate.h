/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-collate.h — text in the order a reader looks for it (the organization list's sorts). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A key to sort text by with strcmp (g_free). The locale's collation (g_utf8_collate_key)
 * where the locale has one; in the C and POSIX locales (code point order, which puts every
 * letter with an accent after Z) base letters first, without case (Å with A, Ł with L, Ö with
 * O), then the code points as a tie-break. Safe in any thread. (transfer full) */
char *pd_collate_key (const char *text);
/* The same key, appended to key (which may hold other text). */
void  pd_collate_append_key (GString    *key,
                             const char *text);
/* strcmp of the two keys, without making them when both texts are ASCII in a C locale. */
int   pd_collate     (const char *a,
                      const char *b);

G_END_DECLS
