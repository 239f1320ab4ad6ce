/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — partner-desk: the GTK application. */
#include "config.h"

#include "core/pd-i18n.h"
#include "pd-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(PdApplication) app = NULL;

  pd_i18n_init ();

  app = pd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
