/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-text-arena.h — strings copied side by side into blocks, freed all at once. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PdTextArena PdTextArena;

#include "pd-huge-pages.h"

/* Blocks of block_size bytes (a longer string gets a block of its own); from
 * PD_TEXT_ARENA_HUGE_BLOCK, each starts on a huge page and is whole huge pages
 * (pd-huge-pages.h). */
#define PD_TEXT_ARENA_HUGE_BLOCK PD_HUGE_PAGE_SIZE

/* An empty arena. (transfer full) */
PdTextArena *pd_text_arena_new        (gsize        block_size);
void         pd_text_arena_free       (PdTextArena *arena);
/* A copy of the len bytes of text (all of it when len is -1), with a NUL after them; it lives
 * as long as the arena. (transfer none) */
char        *pd_text_arena_insert_len (PdTextArena *arena,
                                       const char  *text,
                                       gssize       len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdTextArena, pd_text_arena_free)

G_END_DECLS
