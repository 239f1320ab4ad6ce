/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — partner-desk-cli entry point: locale set-up, then pd_cli_main (). */
#include "config.h"

#include "core/pd-i18n.h"
#include "pd-cli.h"

int
main (int    argc,
      char **argv)
{
  pd_i18n_init ();

  return pd_cli_main (argc, argv);
}
