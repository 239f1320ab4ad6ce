/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-i18n.h — the message catalogue set-up both programs and the UI tests share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* setlocale (LC_ALL, ""), then binds the partner-desk text domain (UTF-8) and makes it the
 * default. In development builds PARTNER_DESK_LOCALEDIR, when set, replaces the installed
 * locale directory: the tests point it at the build's po/ output, which meson lays out as
 * LANG/LC_MESSAGES/partner-desk.mo. */
void         pd_i18n_init             (void);
/* The directory the text domain is bound to. (transfer none) */
const char  *pd_i18n_get_localedir    (void);

G_END_DECLS
