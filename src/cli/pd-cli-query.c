/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-query.c — the list filters shared by list and export. */
#include "config.h"

#include <glib/gi18n.h>

#include "pd-cli-query.h"

void
pd_cli_query_options_clear (PdCliQueryOptions *options)
{
  g_clear_pointer (&options->search, g_free);
  g_clear_pointer (&options->filter, g_free);
}

static gboolean
parse_filter (const char *text,
              PdFilter   *out_filter,
              int        *out_status)
{
  g_autoptr(GString) names = g_string_new (NULL);

  *out_filter = PD_FILTER_ALL;
  if (text == NULL || pd_filter_from_string (text, out_filter))
    return TRUE;
  for (int f = 0; f < PD_N_FILTERS; f++)
    g_string_append_printf (names, "%s%s", f > 0 ? ", " : "", pd_filter_to_string (f));
  *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE, _("unknown filter “%s” (one of: %s)"),
                             text, names->str);
  return FALSE;
}

/* The list's "duplicates" filter reads the store's flags: say so while a sync keeps them for
 * its end (`duplicates` groups every organization meanwhile). */
static void
warn_duplicate_flags_stale (PdStore *store)
{
  gboolean exact = TRUE;

  if (pd_store_get_dup_flags_exact (store, &exact, NULL) && !exact)
    g_printerr ("%s\n", _("Warning: possible duplicates are flagged when the current or next "
                          "sync ends; “duplicates” lists them now."));
}

PdStore *
pd_cli_query_prepare (PdCli             *cli,
                      PdCliQueryOptions *options,
                      PdStoreQuery      *out_query,
                      int               *out_status)
{
  PdStore *store;

  *out_query = (PdStoreQuery) { 0 };
  if (!parse_filter (options->filter, &out_query->filter, out_status))
    return NULL;
  out_query->search = pd_store_search_is_blank (options->search) ? NULL : options->search;
  if ((store = pd_cli_open_cache (cli, out_status)) == NULL)
    return NULL;
  if (out_query->search != NULL)
    pd_cli_warn_unsearchable (store);
  if (out_query->filter == PD_FILTER_DUPLICATES)
    warn_duplicate_flags_stale (store);
  return store;
}
