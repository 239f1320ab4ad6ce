/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-test-util.h — helpers shared by every test program. */
#pragma once

#include <gio/gio.h>

#include "core/pd-organization.h"

G_BEGIN_DECLS

/* A fresh temporary directory (removed by pd_test_rm_rf). */
char     *pd_test_make_tmpdir      (void);
void      pd_test_rm_rf            (const char *path);
/* Path of a file in tests/data (G_TEST_SRCDIR). */
char     *pd_test_data_path        (const char *name);
/* Spins the thread-default main context until *flag is TRUE or timeout_ms passes; returns the
 * flag. Tests assert on the result, so a hang becomes a failure, never a stuck suite. */
gboolean  pd_test_wait_for_flag    (const gboolean *flag, guint timeout_ms);
/* Spins until predicate(data) is TRUE or timeout. */
gboolean  pd_test_wait_until       (gboolean (*predicate) (gpointer data),
                                    gpointer data, guint timeout_ms);
/* Calls destroy (object) (gtk_window_destroy, say) and spins until object is finalized;
 * FALSE when it is still alive after timeout_ms (something kept a reference). */
gboolean  pd_test_destroy_and_wait (gpointer       object,
                                    GDestroyNotify destroy,
                                    guint          timeout_ms);
/* Iterates the main context for ms milliseconds. */
void      pd_test_spin             (guint ms);
/* Runs a program (argv[0] resolved relative to the build root when not absolute), captures
 * stdout/stderr, returns the exit status (-1 if it could not run). */
int       pd_test_run              (const char * const *argv,
                                    const char * const *envp_extra,
                                    char              **out_stdout,
                                    char              **out_stderr);
/* Starts a program as pd_test_run does (argv[0] resolved), without waiting for it; its output
 * is discarded. (transfer full) */
GSubprocess *pd_test_spawn         (const char * const *argv);
/* Runs a program as pd_test_run does, with its stdout on a pseudo-terminal (isatty is TRUE
 * there), and gives what the terminal received. */
int       pd_test_run_on_terminal  (const char * const *argv,
                                    char              **out_terminal);
/* A Partner Center customer for pd_test_customer_new. NULL takes the default: a complete German
 * bill-to (Anna Berg, de-DE, Hauptstraße 1, 10115 Berlin, DE, +49301234567), the e-mail
 * billing@DOMAIN and the etag "etag-TENANT"; no state. "" leaves a field (or the etag)
 * missing. */
typedef struct {
  const char *tenant_id;
  const char *name;
  const char *domain;
  const char *email;
  const char *etag;
  const char *first_name;
  const char *last_name;
  const char *culture;
  const char *language;
  const char *line1;
  const char *city;
  const char *state;
  const char *postal_code;
  const char *country;
  const char *phone;
} PdTestCustomer;
/* The customer as a sync hands it to the store: source Partner Center, relationship
 * "reseller", the bill-to as Partner Center's. (transfer full) */
PdOrganization *pd_test_customer_new (const PdTestCustomer *customer);
/* A size field of /proc/self/status ("VmRSS", "VmHWM") in MB; -1 where there is none. */
double    pd_test_status_mb        (const char *field);
/* Common GTest set-up: g_test_init plus a private XDG_DATA_HOME / XDG_CONFIG_HOME /
 * XDG_CACHE_HOME and PARTNER_DESK_DB unset, so no test touches the user's files. */
void      pd_test_init             (int *argc, char ***argv);

G_END_DECLS
