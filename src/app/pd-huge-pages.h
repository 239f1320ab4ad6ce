/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-huge-pages.h — large blocks the kernel may back with huge pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Blocks from this size are mappings of their own, in huge pages where the kernel offers them
 * (Linux's transparent huge pages, set to "madvise" or "always"); smaller ones are g_malloc's. */
#define PD_HUGE_PAGE_SIZE ((gsize) 2 * 1024 * 1024)

/* size bytes (not cleared), on a huge page's boundary from PD_HUGE_PAGE_SIZE; aborts when out
 * of memory, as g_malloc. (transfer full): free with pd_huge_pages_free and the same size */
gpointer pd_huge_pages_alloc  (gsize    size);
void     pd_huge_pages_free   (gpointer mem,
                               gsize    size);
/* Asks for huge pages for a block another allocator made: only for blocks from 32 MiB, which
 * glibc always maps on their own (a smaller one may lie in the heap, and the advice would
 * outlive it there). Does nothing otherwise. */
void     pd_huge_pages_advise (gpointer mem,
                               gsize    size);

G_END_DECLS
