/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-history-list-private.h — what tests reach of PdHistoryList. Not part of the public contract;
 * included by pd-history-list.c and tests only. */
#pragma once

#include "pd-history-list.h"

G_BEGIN_DECLS

guint      pd_history_list_get_n_rows  (PdHistoryList *self);

G_END_DECLS
