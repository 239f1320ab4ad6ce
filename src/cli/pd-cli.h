/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli.h — shared plumbing of partner-desk-cli: the command table, option parsing, error
 * reporting and the lazily opened store. The commands live in pd-cli-<command>.c files.
 */
#pragma once

#include <gio/gio.h>

#include "core/pd-store.h"

G_BEGIN_DECLS

/* The exit codes of design.md §4: scripts rely on them. */
typedef enum {
  PD_CLI_EXIT_OK       = 0,
  PD_CLI_EXIT_ERROR    = 1,
  PD_CLI_EXIT_USAGE    = 2,
  PD_CLI_EXIT_PARTIAL  = 3,  /* sync finished, some customers failed */
  PD_CLI_EXIT_REFUSED  = 4,  /* e.g. suspected duplicate */
} PdCliExit;

/* The option type of free text (names, search, formats). GOption converts a
 * G_OPTION_ARG_STRING from the locale's charset, which fails on "Müller" under LANG=C (cron,
 * scripts); pd_cli_main makes every argument UTF-8 first, so text options take the bytes as
 * they are, like G_OPTION_ARG_FILENAME does on Unix. */
#define PD_CLI_ARG_TEXT G_OPTION_ARG_FILENAME

/* --format of the commands that print text (the default) or JSON: show, status. */
#define PD_CLI_TEXT_JSON_FORMAT_ENTRY(text_var) \
  { "format", 0, 0, PD_CLI_ARG_TEXT, (text_var), N_("Output as text or json"), N_("FORMAT") }

typedef struct _PdCli PdCli;

struct _PdCli
{
  char    *db_path;   /* --db, or NULL for pd_store_default_path () */
  PdStore *store;     /* opened on first use */
};

/* argv[0] is the command name; argv is NULL-terminated and borrowed. */
typedef int (*PdCliCommandFunc) (PdCli  *cli,
                                 char  **argv);

typedef struct {
  const char       *name;
  const char       *parameters;  /* positional arguments, for --help ("ORG KEY=VALUE…") */
  const char       *summary;     /* N_() marked */
  PdCliCommandFunc  run;
  const char       *description; /* N_() marked, after the options in --help; may be NULL */
} PdCliCommand;

/* Entry point called by main () after the locale is set up. */
int              pd_cli_main              (int     argc,
                                           char  **argv);

/* Prints "partner-desk-cli: <message>" on stderr as one line and returns code. */
int              pd_cli_fail              (PdCliExit   code,
                                           const char *format,
                                           ...) G_GNUC_PRINTF (2, 3);
/* The same for a GError (exit 1). */
int              pd_cli_fail_error        (const GError *error);

/* Reads a PD_CLI_TEXT_JSON_FORMAT_ENTRY value (NULL: text): *out_json tells whether it is json.
 * Another format is bad usage: the one-line error, *out_status = 2, FALSE. */
gboolean         pd_cli_check_text_json_format (const char *format,
                                                gboolean   *out_json,
                                                int        *out_status);

/* Parses a command's options (argv[0] is the command name). Handles --help (prints the help,
 * *out_status = 0) and bad usage (one-line error, *out_status = 2). On success *out_args
 * receives the positional arguments (out_args: (out) (transfer full)); their count must lie in
 * [min_args, max_args] (max_args -1 = unbounded). Returns TRUE when the command should run. */
gboolean         pd_cli_parse_options     (const char          *command_name,
                                           const GOptionEntry  *entries,
                                           char               **argv,
                                           int                  min_args,
                                           int                  max_args,
                                           char              ***out_args,
                                           int                 *out_status);

/* pd_cli_parse_options for a command whose only option is --format text|json
 * (PD_CLI_TEXT_JSON_FORMAT_ENTRY): *out_json tells which. */
gboolean         pd_cli_parse_text_json_options (const char   *command_name,
                                                 char        **argv,
                                                 int           min_args,
                                                 int           max_args,
                                                 char       ***out_args,
                                                 gboolean     *out_json,
                                                 int          *out_status);

/* The store (opened on first call); NULL with error when it cannot be opened. (transfer none) */
PdStore         *pd_cli_get_store         (PdCli   *cli,
                                           GError **error);
/* The cache path in use: --db, else the default. (transfer full) */
char            *pd_cli_dup_db_path       (PdCli   *cli);
/* FALSE, with "no cache at PATH" printed and *out_status = 1, when the cache file does not
 * exist: commands that only read must not create an empty one. */
gboolean         pd_cli_require_cache     (PdCli   *cli,
                                           int     *out_status);
/* The cache if its file exists, opened; NULL when there is none (nothing is created) or it
 * cannot be opened. For commands that only look at what a cache may hold. (transfer none) */
PdStore         *pd_cli_get_existing_store (PdCli  *cli);
/* The cache, which must exist (pd_cli_require_cache), opened; NULL with the one-line error
 * printed and *out_status set otherwise. (transfer none) */
PdStore         *pd_cli_open_cache        (PdCli   *cli,
                                           int     *out_status);
/* How many organizations a search or a name does not find for now (pd_store_count_unsearchable;
 * 0 when it cannot tell), and the warning on stderr that says so when there are any. */
guint            pd_cli_count_unsearchable (PdStore *store);
void             pd_cli_warn_unsearchable  (PdStore *store);
/* TRUE, with a one-line explanation printed and *out_status = 1, when the cache is the demo's
 * (its Partner Center is the simulator inside partner-desk --demo): command reaches for
 * Partner Center. Never creates the cache. */
gboolean         pd_cli_refuse_demo_cache (PdCli      *cli,
                                           const char *command,
                                           int        *out_status);
/* Looks an organization up by local id, tenant id, domain or exact name (case-insensitive).
 * On failure (none; a name shared by several, whose ids are listed) prints the one-line
 * error, sets *out_status and returns NULL. (transfer full) (nullable) */
PdOrganization  *pd_cli_find_organization (PdCli      *cli,
                                           const char *org,
                                           int        *out_status);

/* Writes machine-readable output (JSON, CSV) as UTF-8 bytes: g_print would convert it to
 * the locale's charset, and a script running under LANG=C would get "?" for "ö". */
void             pd_cli_print_utf8        (const char *text,
                                           gsize       length);
/* Prints a JSON document that way, then a newline; returns PD_CLI_EXIT_OK. */
int              pd_cli_print_json        (const char *document);

/* Trims country (NULL: none) and upper-cases it in place, as the store keeps ISO 3166 codes;
 * an unknown code prints the one-line error. PD_CLI_EXIT_OK, or the exit status. */
int              pd_cli_check_country     (char       *country);

/* A run event's field as the edit-bill-to key ("address.city"): the store's history names it
 * "billTo.address.city". NULL stays NULL. (transfer none) (nullable) */
const char      *pd_cli_bill_to_path      (const char *field);

/* Splits "KEY=VALUE"; FALSE (and a usage error printed) when there is no '='.
 * out_key: (out) (transfer full) out_value: (out) (transfer none): points into arg. */
gboolean         pd_cli_split_assignment  (const char  *arg,
                                           char       **out_key,
                                           const char **out_value);

/* Prints whether the effective bill-to is complete and, if not, each missing field with the
 * reason (country rules of the store; pd_missing_fields_for, so the registration number some
 * countries require is listed too). Used by show and edit-bill-to. */
void             pd_cli_print_missing_fields (PdStore        *store,
                                              PdOrganization *organization);

/* A sync run's counts, error, and the customers that were removed, failed or had a local
 * edit replaced (a bounded number of lines). Used by status and sync. */
void             pd_cli_print_run_report  (const PdSyncRun *run,
                                           GPtrArray       *events);
/* The same, reading from the store only the lines it prints: a first sync of a million
 * customers has a million NEW events. Used by sync. */
void             pd_cli_print_run_report_of (PdStore         *store,
                                             const PdSyncRun *run);
/* The resellers a scoped run covered, one line (nothing for a run of every customer). */
void             pd_cli_print_run_scope   (PdStore         *store,
                                           gint64           run_id);

/* The commands; related ones share a file (pd-cli-list.c: list and export, …). */
int pd_cli_cmd_status (PdCli *cli, char **argv);
int pd_cli_cmd_list (PdCli *cli, char **argv);
int pd_cli_cmd_show (PdCli *cli, char **argv);
int pd_cli_cmd_set (PdCli *cli, char **argv);
int pd_cli_cmd_edit_bill_to (PdCli *cli, char **argv);
int pd_cli_cmd_revert_bill_to (PdCli *cli, char **argv);
int pd_cli_cmd_push_bill_to (PdCli *cli, char **argv);
int pd_cli_cmd_create (PdCli *cli, char **argv);
int pd_cli_cmd_duplicates (PdCli *cli, char **argv);
int pd_cli_cmd_link (PdCli *cli, char **argv);
int pd_cli_cmd_export (PdCli *cli, char **argv);
int pd_cli_cmd_sync (PdCli *cli, char **argv);
int pd_cli_cmd_sign_in (PdCli *cli, char **argv);
int pd_cli_cmd_sign_out (PdCli *cli, char **argv);
int pd_cli_cmd_consent_link (PdCli *cli, char **argv);

/* The command descriptor of name (for pd_cli_parse_options). (transfer none) */
const PdCliCommand *pd_cli_lookup_command (const char *name);

G_END_DECLS
