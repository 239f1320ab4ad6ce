/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-tag-row-private.h — what tests reach of PdTagRow. Not part of the public contract; included
 * by pd-tag-row.c and tests only. */
#pragma once

#include "pd-tag-row.h"

G_BEGIN_DECLS

/* Adds one tag (ignored when empty or already present); emits "changed" when added. */
void       pd_tag_row_add_tag  (PdTagRow           *self,
                                const char         *tag);

G_END_DECLS
