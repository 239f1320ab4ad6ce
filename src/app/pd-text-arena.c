/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-text-arena.c — strings copied side by side into blocks, freed all at once.
 *
 * GStringChunk does this too, but its blocks are plain allocations: a list of a million rows
 * keeps about 150 MB of names, search words and sort keys in them, written once as the rows
 * load, a page fault every 4 KiB. Blocks of huge pages take one fault each
 * (pd-huge-pages.c). */
#include "config.h"

#include <string.h>

#include "pd-huge-pages.h"
#include "pd-text-arena.h"

typedef struct {
  char  *mem;
  gsize  size;
} Block;

struct _PdTextArena
{
  GArray *blocks;     /* Block */
  gsize   block_size;
  char   *next;       /* where the next string goes in the last block */
  gsize   left;       /* and the room left after it */
};

static void
block_clear (gpointer data)
{
  Block *block = data;

  pd_huge_pages_free (block->mem, block->size);
}

PdTextArena *
pd_text_arena_new (gsize block_size)
{
  PdTextArena *arena = g_new0 (PdTextArena, 1);

  arena->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_set_clear_func (arena->blocks, block_clear);
  arena->block_size = MAX (block_size, 64);
  return arena;
}

void
pd_text_arena_free (PdTextArena *arena)
{
  if (arena == NULL)
    return;
  g_array_unref (arena->blocks);
  g_free (arena);
}

static void
add_block (PdTextArena *arena,
           gsize        at_least)
{
  Block block = { NULL, MAX (arena->block_size, at_least) };

  /* A string longer than a huge block gets whole huge pages. */
  if (block.size >= PD_HUGE_PAGE_SIZE)
    block.size = (block.size + PD_HUGE_PAGE_SIZE - 1) & ~(PD_HUGE_PAGE_SIZE - 1);
  block.mem = pd_huge_pages_alloc (block.size);
  g_array_append_val (arena->blocks, block);
  arena->next = block.mem;
  arena->left = block.size;
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
