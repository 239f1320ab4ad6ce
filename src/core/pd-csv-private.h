/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-csv-private.h — the CSV writer's building blocks, called by pd-csv.c and tests. Not part of
 * the public contract; included by pd-csv.c and tests only. */
#pragma once

#include "pd-csv.h"

G_BEGIN_DECLS

/* Appends one escaped cell (no separator) to out. */
void      pd_csv_append_cell  (GString    *out,
                               const char *value);
/* Appends a whole row: cells joined by ',' and terminated by CRLF. */
void      pd_csv_append_row   (GString           *out,
                               const char * const *cells,
                               gsize              n_cells);

G_END_DECLS
