/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-i18n.c — the message catalogue set-up both programs and the UI tests share. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pd-i18n.h"

const char *
pd_i18n_get_localedir (void)
{
#if DEVELOPMENT_BUILD
  const char *dir = g_getenv ("PARTNER_DESK_LOCALEDIR");

  if (dir != NULL && *dir != '\0')
    return dir;
#endif
  return LOCALEDIR;
}

void
pd_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, pd_i18n_get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
