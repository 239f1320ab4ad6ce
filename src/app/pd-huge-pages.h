/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-huge-pages.h — large blocks the kernel may back with huge pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Asks the kernel to back the part of [mem, mem + size) that spans whole huge pages with
 * huge pages (Linux's transparent huge pages, when set to "madvise" or "always"); does
 * nothing elsewhere, for small blocks, or when the kernel declines. */
void     pd_huge_pages_advise (gpointer mem,
                               gsize    size);
/* g_malloc (size), advised as above. (transfer full) */
gpointer pd_huge_pages_alloc  (gsize    size);

G_END_DECLS
