/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-text-arena.c — strings copied side by side into blocks, freed all at once.
 *
 * GStringChunk does this too, but its blocks are plain allocations: a list of a million rows
 * keeps about 150 MB of names, search words and sort keys in them, written once as the rows
 * load, a page fault every 4 KiB. Blocks aligned to huge pages and advised as such take one
 * fault each (pd-huge-pages.c). */
#include "config.h"

#include <string.h>

#include "pd-huge-pages.h"
#include "pd-text-arena.h"

struct _PdTextArena
{
  GPtrArray *blocks;
  gsize      block_size;
  char      *next;   /* where the next string goes in the last block */
  gsize      left;   /* and the room left after it */
};

static void
block_free (gpointer block)
{
  g_aligned_free (block);
}

PdTextArena *
pd_text_arena_new (gsize block_size)
{
  PdTextArena *arena = g_new0 (PdTextArena, 1);

  arena->blocks = g_ptr_array_new_with_free_func (block_free);
  arena->block_size = MAX (block_size, 64);
  return arena;
}

void
pd_text_arena_free (PdTextArena *arena)
{
  if (arena == NULL)
    return;
  g_ptr_array_unref (arena->blocks);
  g_free (arena);
}

static void
add_block (PdTextArena *arena,
           gsize        at_least)
{
  gboolean huge = arena->block_size >= PD_TEXT_ARENA_HUGE_BLOCK;
  gsize size = MAX (arena->block_size, at_least);
  char *block;

  if (huge)
    {
      size = (size + PD_TEXT_ARENA_HUGE_BLOCK - 1) & ~(PD_TEXT_ARENA_HUGE_BLOCK - 1);
      block = g_aligned_alloc (1, size, PD_TEXT_ARENA_HUGE_BLOCK);
      pd_huge_pages_advise (block, size);
    }
  else
    block = g_aligned_alloc (1, size, sizeof (gpointer));
  g_ptr_array_add (arena->blocks, block);
  arena->next = block;
  arena->left = size;
}

char *
pd_text_arena_insert_len (PdTextArena *arena,
                          const char  *text,
                          gssize       len)
{
  gsize size;
  char *copy;

  g_return_val_if_fail (arena != NULL && text != NULL, NULL);

  size = (len < 0 ? strlen (text) : (gsize) len) + 1;
  if (size > arena->left)
    add_block (arena, size);
  copy = arena->next;
  memcpy (copy, text, size - 1);
  copy[size - 1] = '\0';
  arena->next += size;
  arena->left -= size;
  return copy;
}
