/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-app-util-private.h — helpers only tests call. Not part of the public contract; included by
 * pd-app-util.c and tests only. */
#pragma once

#include "pd-app-util.h"

G_BEGIN_DECLS

/* TRUE when focus is inside widget (the focus widget or one of its descendants). */
gboolean  pd_app_util_has_focus_within     (GtkWidget   *widget);

G_END_DECLS
