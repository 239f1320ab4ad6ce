/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli-query.h — the list filters shared by list and export (--search, --filter). */
#pragma once

#include "pd-cli.h"

G_BEGIN_DECLS

typedef struct {
  char *search;
  char *filter;
} PdCliQueryOptions;

/* The two option entries; pointers into options. */
#define PD_CLI_QUERY_ENTRIES(options) \
  { "search", 's', 0, PD_CLI_ARG_TEXT, &(options)->search, \
    N_("Only organizations matching TEXT (name, domain, ERP ID, e-mail, city, notes)"), N_("TEXT") }, \
  { "filter", 'f', 0, PD_CLI_ARG_TEXT, &(options)->filter, \
    N_("Only the organizations of one filter: incomplete, unreadable, local-edits, " \
       "duplicates, manual, removed, under-review, new (or all)"), \
    N_("FILTER") }

void       pd_cli_query_options_clear (PdCliQueryOptions *options);
/* The store query the options select, and the store to ask. On failure prints the one-line
 * error, sets *out_status (2 for an unknown filter) and returns NULL. out_query points into
 * options. (transfer none) (nullable) */
PdStore   *pd_cli_query_prepare       (PdCli             *cli,
                                       PdCliQueryOptions *options,
                                       PdStoreQuery      *out_query,
                                       int               *out_status);
G_END_DECLS
