/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-huge-pages.c — large blocks the kernel may back with huge pages.
 *
 * Loading a million organizations writes about half a gigabyte of new memory: with 4 KiB
 * pages that is over a hundred thousand page faults, which cost the load as much time as
 * packing the rows (a third of it, measured in a virtual machine). A 2 MiB page takes one
 * fault for 512 of them. The blocks are mappings of their own, so that the advice ends with
 * them and their memory goes back to the system when they are freed. */
#include "config.h"

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "pd-huge-pages.h"

/* glibc's largest threshold above which malloc maps a block on its own (64-bit). */
#define OWN_MAPPING_MIN ((gsize) 32 * 1024 * 1024)

#if defined(__linux__) && defined(MADV_HUGEPAGE)

static gsize
round_up (gsize size)
{
  return (size + PD_HUGE_PAGE_SIZE - 1) & ~(PD_HUGE_PAGE_SIZE - 1);
}

static void
advise (gpointer mem,
        gsize    size)
{
  guintptr start = round_up ((guintptr) mem);
  guintptr end = ((guintptr) mem + size) & ~(PD_HUGE_PAGE_SIZE - 1);

  /* Only the advice fails here (an old kernel, huge pages turned off): the memory is the
   * same either way. */
  if (end > start)
    (void) madvise ((void *) start, end - start, MADV_HUGEPAGE);
}

gpointer
pd_huge_pages_alloc (gsize size)
{
  gsize rounded = round_up (size);
  gsize mapped = rounded + PD_HUGE_PAGE_SIZE;
  char *base, *aligned;

  if (size < PD_HUGE_PAGE_SIZE)
    return g_malloc (size);
  if (rounded < size || mapped < rounded)
    g_error ("%s: overflow allocating %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  base = mmap (NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, size);
  /* Mapped one huge page more than needed, to start on a boundary: the rest is given back. */
  aligned = (char *) round_up ((guintptr) base);
  if (aligned > base)
    munmap (base, (gsize) (aligned - base));
  if (aligned + rounded < base + mapped)
    munmap (aligned + rounded, (gsize) (base + mapped - (aligned + rounded)));
  advise (aligned, rounded);
  return aligned;
}

void
pd_huge_pages_free (gpointer mem,
                    gsize    size)
{
  if (mem == NULL)
    return;
  if (size < PD_HUGE_PAGE_SIZE)
    g_free (mem);
  else
    munmap (mem, round_up (size));
}

void
pd_huge_pages_advise (gpointer mem,
                      gsize    size)
{
  if (mem != NULL && size >= OWN_MAPPING_MIN)
    advise (mem, size);
}

#else

gpointer
pd_huge_pages_alloc (gsize size)
{
  return g_malloc (size);
}

void
pd_huge_pages_free (gpointer mem,
                    gsize    size)
{
  (void) size;
  g_free (mem);
}

void
pd_huge_pages_advise (gpointer mem,
                      gsize    size)
{
  (void) mem;
  (void) size;
}

#endif
