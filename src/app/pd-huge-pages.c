/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-huge-pages.c — large blocks the kernel may back with huge pages.
 *
 * Loading a million organizations writes about half a gigabyte of new memory: with 4 KiB
 * pages that is over a hundred thousand page faults, which cost the load as much time as
 * packing the rows (a third of it, measured in a virtual machine). A 2 MiB page takes one
 * fault for 512 of them. */
#include "config.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "pd-huge-pages.h"

#define HUGE_PAGE_SIZE ((gsize) 2 * 1024 * 1024)

void
pd_huge_pages_advise (gpointer mem,
                      gsize    size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  guintptr start = ((guintptr) mem + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
  guintptr end = ((guintptr) mem + size) & ~(HUGE_PAGE_SIZE - 1);

  /* Only the advice fails here (an old kernel, huge pages turned off): the memory is the
   * same either way. */
  if (mem != NULL && end > start)
    (void) madvise ((void *) start, end - start, MADV_HUGEPAGE);
#else
  (void) mem;
  (void) size;
#endif
}

gpointer
pd_huge_pages_alloc (gsize size)
{
  gpointer mem = g_malloc (size);

  pd_huge_pages_advise (mem, size);
  return mem;
}
