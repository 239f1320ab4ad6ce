/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-cli.c — partner-desk-cli: global options, command dispatch and the shared helpers. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "core/pd-country-rules.h"
#include "core/pd-text.h"
#include "pd-cli-json.h"
#include "pd-cli-table.h"
#include "pd-cli.h"

#define PRGNAME "partner-desk-cli"

#define BILL_TO_KEYS_HELP \
  N_("Keys, as in the JSON of show: companyName, email, firstName, lastName, culture, " \
     "language, address.addressLine1, address.addressLine2, address.city, address.state, " \
     "address.region, address.postalCode, address.country, address.phoneNumber, " \
     "address.firstName, address.lastName.\n" \
     "The edit stays in Partner Desk: it does not reach Partner Center, and it is replaced " \
     "when Partner Center changes the bill-to.")

static const PdCliCommand commands[] = {
  { "status", "", N_("Show the cache, its counts and the last sync runs"), pd_cli_cmd_status },
  { "list", "", N_("List organizations"), pd_cli_cmd_list },
  { "show", N_("ORG"), N_("Show one organization (ORG: local id, tenant ID, domain or exact name)"),
    pd_cli_cmd_show },
  { "set", N_("ORG KEY=VALUE…"), N_("Set Partner Desk fields of an organization"),
    pd_cli_cmd_set,
    N_("Keys: erp-id, registration-number, segments (comma-separated), currency (ISO 4217; "
       "takes effect on the 1st of next month), status (new, active, blocked), login-options "
       "(comma-separated), account-manager, notes. An empty VALUE clears the field. Every "
       "assignment is checked before any is written.") },
  { "edit-bill-to", N_("ORG KEY=VALUE…"),
    N_("Edit bill-to fields locally (the change does not reach Partner Center)"),
    pd_cli_cmd_edit_bill_to, BILL_TO_KEYS_HELP },
  { "revert-bill-to", N_("ORG [KEY…]"),
    N_("Drop local bill-to edits, back to the Partner Center values"),
    pd_cli_cmd_revert_bill_to,
    N_("Without KEY every local bill-to edit of the organization is dropped.") },
  { "create", "", N_("Create an organization by hand"), pd_cli_cmd_create },
  { "duplicates", "", N_("List organizations that look like the same customer"),
    pd_cli_cmd_duplicates },
  { "link", N_("ORG TENANT"), N_("Link a manual organization to a Microsoft tenant"),
    pd_cli_cmd_link },
  { "export", N_("FILE.csv"), N_("Export the (filtered) list to a CSV file"),
    pd_cli_cmd_export },
  { "sync", "", N_("Sync the customers from Partner Center"), pd_cli_cmd_sync },
  { "sign-in", "", N_("Sign in to Partner Center (device code)"), pd_cli_cmd_sign_in },
  { "sign-out", "", N_("Sign out and forget the stored sign-in"), pd_cli_cmd_sign_out },
  { "consent-link", "", N_("Print the reseller relationship (consent) link"),
    pd_cli_cmd_consent_link },
  { "push-bill-to", N_("ORG"),
    N_("Send an organization's local bill-to edits to Partner Center"),
    pd_cli_cmd_push_bill_to },
};

const PdCliCommand *
pd_cli_lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* Errors must stay one line so that scripts can show them as they are. */
static char *
one_line (const char *message)
{
  return g_strchomp (pd_text_one_line (message != NULL ? message : ""));
}

int
pd_cli_fail (PdCliExit   code,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  line = one_line (message);
  g_printerr ("%s: %s\n", PRGNAME, line);
  return code;
}

int
pd_cli_fail_error (const GError *error)
{
  return pd_cli_fail (PD_CLI_EXIT_ERROR, "%s", error->message);
}

gboolean
pd_cli_check_text_json_format (const char *format,
                               gboolean   *out_json,
                               int        *out_status)
{
  *out_json = format != NULL && g_str_equal (format, "json");
  if (format == NULL || *out_json || g_str_equal (format, "text"))
    return TRUE;
  *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE, _("unknown format “%s” (one of: text, json)"),
                             format);
  return FALSE;
}

gboolean
pd_cli_parse_text_json_options (const char   *command_name,
                                char        **argv,
                                int           min_args,
                                int           max_args,
                                char       ***out_args,
                                gboolean     *out_json,
                                int          *out_status)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    PD_CLI_TEXT_JSON_FORMAT_ENTRY (&format),
    G_OPTION_ENTRY_NULL
  };

  return pd_cli_parse_options (command_name, entries, argv, min_args, max_args, out_args,
                               out_status)
         && pd_cli_check_text_json_format (format, out_json, out_status);
}

static char *
command_help (GOptionContext     *context,
              const PdCliCommand *command)
{
  g_autofree char *saved = g_strdup (g_get_prgname ());
  g_autofree char *prgname = g_strdup_printf ("%s %s", PRGNAME, command->name);
  char *help;

  /* GOptionContext prints the program name in the usage line: make it name the command. */
  g_set_prgname (prgname);
  help = g_option_context_get_help (context, TRUE, NULL);
  g_set_prgname (saved);
  return help;
}

static gboolean
check_n_args (const PdCliCommand *command,
              int                 n_args,
              int                 min_args,
              int                 max_args,
              int                *out_status)
{
  if (n_args < min_args)
    {
      *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE,
                                 _("%s: missing arguments, expected %s (see “%s %s --help”)"),
                                 command->name, _(command->parameters), PRGNAME, command->name);
      return FALSE;
    }
  if (max_args >= 0 && n_args > max_args)
    {
      *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE,
                                 _("%s: too many arguments (see “%s %s --help”)"),
                                 command->name, PRGNAME, command->name);
      return FALSE;
    }
  return TRUE;
}

/* GOption keeps a lone "--" in the vector: it only separates options from arguments that
 * start with '-', so it is no argument itself. */
static char **
positional_arguments (char **parsed)
{
  GPtrArray *args = g_ptr_array_new ();
  gboolean seen_separator = FALSE;

  for (guint i = 1; parsed[i] != NULL; i++)
    {
      if (!seen_separator && strcmp (parsed[i], "--") == 0)
        {
          seen_separator = TRUE;
          continue;
        }
      g_ptr_array_add (args, g_strdup (parsed[i]));
    }
  g_ptr_array_add (args, NULL);
  return (char **) g_ptr_array_free (args, FALSE);
}

static GOptionContext *
command_context (const PdCliCommand *command,
                 const GOptionEntry *entries,
                 gboolean           *help)
{
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, help, N_("Show this help"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *context = g_option_context_new (command->parameters[0] != '\0'
                                                    ? _(command->parameters) : NULL);

  /* Our own --help: GOption's would exit () from inside the parser. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (command->description != NULL)
    g_option_context_set_description (context, _(command->description));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, help_entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
pd_cli_parse_options (const char          *command_name,
                      const GOptionEntry  *entries,
                      char               **argv,
                      int                  min_args,
                      int                  max_args,
                      char              ***out_args,
                      int                 *out_status)
{
  const PdCliCommand *command = pd_cli_lookup_command (command_name);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed = g_strdupv (argv);
  g_auto(GStrv) args = NULL;
  gboolean help = FALSE;

  g_return_val_if_fail (command != NULL, FALSE);
  context = command_context (command, entries, &help);
  if (!g_option_context_parse_strv (context, &parsed, &error))
    {
      *out_status = pd_cli_fail (PD_CLI_EXIT_USAGE, "%s: %s", command->name, error->message);
      return FALSE;
    }
  if (help)
    {
      g_autofree char *text = command_help (context, command);

      g_print ("%s", text);
      *out_status = PD_CLI_EXIT_OK;
      return FALSE;
    }
  args = positional_arguments (parsed);
  if (!check_n_args (command, g_strv_length (args), min_args, max_args, out_status))
    return FALSE;
  *out_args = g_steal_pointer (&args);
  return TRUE;
}

char *
pd_cli_dup_db_path (PdCli *cli)
{
  return cli->db_path != NULL ? g_strdup (cli->db_path) : pd_store_default_path ();
}

PdStore *
pd_cli_get_store (PdCli   *cli,
                  GError **error)
{
  g_autofree char *path = NULL;

  if (cli->store != NULL)
    return cli->store;
  path = pd_cli_dup_db_path (cli);
  cli->store = pd_store_open (path, error);
  return cli->store;
}

gboolean
pd_cli_require_cache (PdCli *cli,
                      int   *out_status)
{
  g_autofree char *path = pd_cli_dup_db_path (cli);

  if (cli->store != NULL || g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  *out_status = pd_cli_fail (PD_CLI_EXIT_ERROR,
                             _("no cache at %s (run “partner-desk-cli sync” to create it, or "
                               "give another with --db)"), path);
  return FALSE;
}

PdStore *
pd_cli_get_existing_store (PdCli *cli)
{
  g_autofree char *path = pd_cli_dup_db_path (cli);

  if (cli->store == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return pd_cli_get_store (cli, NULL);
}

PdStore *
pd_cli_open_cache (PdCli *cli,
                   int   *out_status)
{
  g_autoptr(GError) error = NULL;
  PdStore *store;

  if (!pd_cli_require_cache (cli, out_status))
    return NULL;
  if ((store = pd_cli_get_store (cli, &error)) == NULL)
    *out_status = pd_cli_fail_error (error);
  return store;
}

gboolean
pd_cli_refuse_demo_cache (PdCli      *cli,
                          const char *command,
                          int        *out_status)
{
  g_autofree char *path = pd_cli_dup_db_path (cli);
  PdStore *store = pd_cli_get_existing_store (cli);

  if (store == NULL || !pd_store_get_demo (store))
    return FALSE;
  *out_status = pd_cli_fail (PD_CLI_EXIT_ERROR,
                             _("%s: %s is the demo's cache, and the demo's Partner Center runs "
                               "inside the app: use it in “partner-desk --demo”"),
                             command, path);
  return TRUE;
}

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);
  g_autofree char *na = g_utf8_normalize (fa, -1, G_NORMALIZE_NFC);
  g_autofree char *nb = g_utf8_normalize (fb, -1, G_NORMALIZE_NFC);

  return na != NULL && nb != NULL && g_str_equal (na, nb);
}

/* Every organization named exactly name (case aside): the search narrows, equality decides. */
static GPtrArray *
find_by_name (PdStore     *store,
              const char  *name,
              GError     **error)
{
  g_autofree char *wanted = g_strstrip (g_strdup (name));
  PdStoreQuery query = { .search = wanted };
  g_autoptr(GPtrArray) candidates = NULL;
  GPtrArray *named = g_ptr_array_new_with_free_func (g_object_unref);

  if (*wanted != '\0' && (candidates = pd_store_list (store, &query, error)) == NULL)
    g_clear_pointer (&named, g_ptr_array_unref);
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      PdOrganization *org = g_ptr_array_index (candidates, i);

      if (same_name (pd_organization_get_name (org), wanted))
        g_ptr_array_add (named, g_object_ref (org));
    }
  return named;
}

static int
fail_ambiguous (const char *name,
                GPtrArray  *named)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < named->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                            pd_organization_get_id (g_ptr_array_index (named, i)));
  return pd_cli_fail (PD_CLI_EXIT_ERROR,
                      _("%u organizations are named “%s”: give one of their local ids (%s)"),
                      named->len, name, ids->str);
}

/* Not an id, tenant id or domain: an exact name, when exactly one organization has it. */
static PdOrganization *
find_named (PdStore    *store,
            const char *name,
            int        *out_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) named = find_by_name (store, name, &error);
  guint n_unsearchable;

  if (named == NULL)
    *out_status = pd_cli_fail_error (error);
  else if (named->len == 1)
    return g_object_ref (g_ptr_array_index (named, 0));
  else if (named->len > 1)
    *out_status = fail_ambiguous (name, named);
  else if ((n_unsearchable = pd_cli_count_unsearchable (store)) > 0)
    *out_status = pd_cli_fail (PD_CLI_EXIT_ERROR,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "no organization “%s” (%u organization cannot be "
                                            "found by name until the current or next sync "
                                            "ends): give its local id, tenant ID or domain",
                                            "no organization “%s” (%u organizations cannot be "
                                            "found by name until the current or next sync "
                                            "ends): give its local id, tenant ID or domain",
                                            n_unsearchable),
                               name, n_unsearchable);
  else
    *out_status = pd_cli_fail (PD_CLI_EXIT_ERROR,
                               _("no organization “%s” (give its local id, tenant ID, domain "
                                 "or exact name)"), name);
  return NULL;
}

guint
pd_cli_count_unsearchable (PdStore *store)
{
  guint n = 0;

  return pd_store_count_unsearchable (store, &n, NULL) ? n : 0;
}

void
pd_cli_warn_unsearchable (PdStore *store)
{
  guint n = pd_cli_count_unsearchable (store);

  if (n > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "Warning: %u organization cannot be found by a search until the "
                             "current or next sync ends; “show” finds it by its local id, tenant "
                             "ID or domain.\n",
                             "Warning: %u organizations cannot be found by a search until the "
                             "current or next sync ends; “show” finds them by their local id, "
                             "tenant ID or domain.\n",
                             n), n);
}

PdOrganization *
pd_cli_find_organization (PdCli      *cli,
                          const char *org,
                          int        *out_status)
{
  g_autoptr(GError) error = NULL;
  PdStore *store = pd_cli_open_cache (cli, out_status);
  PdOrganization *found;

  if (store == NULL)
    return NULL;
  found = pd_store_find (store, org, &error);
  if (found != NULL)
    return found;
  if (g_error_matches (error, PD_STORE_ERROR, PD_STORE_ERROR_NOT_FOUND))
    return find_named (store, org, out_status);
  *out_status = pd_cli_fail_error (error);
  return NULL;
}

void
pd_cli_print_utf8 (const char *text,
                   gsize       length)
{
  fwrite (text, 1, length, stdout);
  fflush (stdout);
}

int
pd_cli_print_json (const char *document)
{
  pd_cli_print_utf8 (document, strlen (document));
  pd_cli_print_utf8 ("\n", 1);
  return PD_CLI_EXIT_OK;
}

int
pd_cli_check_country (char *country)
{
  if (country == NULL)
    return PD_CLI_EXIT_OK;
  g_strstrip (country);
  for (char *p = country; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  if (*country == '\0' || pd_country_code_is_valid (country))
    return PD_CLI_EXIT_OK;
  return pd_cli_fail (PD_CLI_EXIT_ERROR,
                      _("“%s” is not an ISO 3166 country code (such as DE, US)"), country);
}

const char *
pd_cli_bill_to_path (const char *field)
{
  if (field != NULL && g_str_has_prefix (field, "billTo."))
    return field + strlen ("billTo.");
  return field;
}

gboolean
pd_cli_split_assignment (const char  *arg,
                         char       **out_key,
                         const char **out_value)
{
  const char *equals = strchr (arg, '=');

  if (equals == NULL || equals == arg)
    {
      pd_cli_fail (PD_CLI_EXIT_USAGE, _("“%s” is not KEY=VALUE"), arg);
      return FALSE;
    }
  *out_key = g_strndup (arg, equals - arg);
  *out_value = equals + 1;
  return TRUE;
}

static char *
commands_summary (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-16s %s", commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n\n%s", _("Run “partner-desk-cli COMMAND --help” for the "
                                            "options of a command."));
  return g_string_free (text, FALSE);
}

static const char *
environment_description (void)
{
  return _("Environment:\n"
           "  PARTNER_DESK_API_URL       Partner Center API (default "
           "https://api.partnercenter.microsoft.com)\n"
           "  PARTNER_DESK_LOGIN_URL     Sign-in authority (default "
           "https://login.microsoftonline.com/organizations)\n"
           "  PARTNER_DESK_ACCESS_TOKEN  Use this bearer token and skip sign-in (scripts)\n"
           "  PARTNER_DESK_CLIENT_ID     Application (client) ID used to sign in\n"
           "  PARTNER_DESK_DB            Cache file (default "
           "$XDG_DATA_HOME/partner-desk/partner-desk.db)\n"
           "Plain http:// is refused except for loopback hosts.\n"
           "\n"
           "Exit status:\n"
           "  0 ok, 1 error, 2 usage, 3 sync finished with some customers failed,\n"
           "  4 refused (e.g. suspected duplicate)\n");
}

static GOptionContext *
global_context (char     **db_path,
                gboolean  *version,
                gboolean  *help)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, db_path, N_("Use this cache file"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, version, N_("Print the version"), NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, help, N_("Show this help"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autofree char *summary = commands_summary ();
  GOptionContext *context = g_option_context_new (_("COMMAND [OPTION…]"));

  /* Global options come before the command; the rest belongs to the command. */
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, environment_description ());
  return context;
}

static int
dispatch (PdCli  *cli,
          char  **argv)
{
  const PdCliCommand *command;

  if (argv[0] == NULL || argv[1] == NULL)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("no command given (see “%s --help”)"), PRGNAME);
  command = pd_cli_lookup_command (argv[1]);
  if (command == NULL)
    return pd_cli_fail (PD_CLI_EXIT_USAGE, _("unknown command “%s” (see “%s --help”)"),
                        argv[1], PRGNAME);
  return command->run (cli, argv + 1);
}

/* Arguments as UTF-8: kept when they are (a UTF-8 terminal, whatever LANG says), converted
 * from the locale's charset otherwise. FALSE (one-line error printed) when neither works. */
static gboolean
arguments_to_utf8 (char **args)
{
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      char *converted;

      if (g_utf8_validate (args[i], -1, NULL))
        continue;
      converted = g_locale_to_utf8 (args[i], -1, NULL, NULL, &error);
      if (converted == NULL)
        {
          pd_cli_fail (PD_CLI_EXIT_USAGE, _("argument %u is not text in UTF-8 or in the "
                                            "locale's character set"), i);
          return FALSE;
        }
      g_free (args[i]);
      args[i] = converted;
    }
  return TRUE;
}

/* Every text printed with g_print/g_printerr goes through here: data from Partner Center never
 * reaches the terminal as control sequences. JSON and CSV are written with pd_cli_print_utf8
 * (JSON escapes them; `list`'s CSV is made safe when printed on a terminal). */
static void
print_for_terminal (const char *text)
{
  g_autofree char *safe = pd_cli_text_for_terminal (text, -1);

  fputs (safe, stdout);
}

static void
printerr_for_terminal (const char *text)
{
  g_autofree char *safe = pd_cli_text_for_terminal (text, -1);

  fputs (safe, stderr);
}

int
pd_cli_main (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_strdupv (argv);
  gboolean version = FALSE;
  gboolean help = FALSE;
  PdCli cli = { NULL, NULL };
  int status;

  g_set_prgname (PRGNAME);
  g_set_print_handler (print_for_terminal);
  g_set_printerr_handler (printerr_for_terminal);
  if (!arguments_to_utf8 (args))
    return PD_CLI_EXIT_USAGE;
  context = global_context (&cli.db_path, &version, &help);
  /* Parse a copy: GOption rearranges and shortens the vector it is given. */
  if (!g_option_context_parse_strv (context, &args, &error))
    return pd_cli_fail (PD_CLI_EXIT_USAGE, "%s", error->message);
  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);
      g_print ("%s", text);
      g_free (cli.db_path);
      return PD_CLI_EXIT_OK;
    }
  if (version)
    {
      g_print ("%s %s\n", PRGNAME, PACKAGE_VERSION);
      g_free (cli.db_path);
      return PD_CLI_EXIT_OK;
    }
  status = dispatch (&cli, args);
  g_clear_object (&cli.store);
  g_free (cli.db_path);
  return status;
}
