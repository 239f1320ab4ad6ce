/* main.c — partner-desk-cli entry point: locale set-up, then pd_cli_main (). */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "pd-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return pd_cli_main (argc, argv);
}
