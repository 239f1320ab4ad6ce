/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-auth.c — PdAuth: the device code flow end to end against the simulator, with a real
 * Secret Service (run under tests/api/run-with-keyring.sh). */
#include <string.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "pd-test-util.h"
#include "api-test-common.h"
#include "pd-auth-private.h"
#include "pd-pc-client.h"
#include "simulator/pd-simulator.h"

#define WAIT_MS 20000
#define CLIENT_ID "11111111-2222-3333-4444-555555555555"

static const SecretSchema test_schema = {
  "io.github.partnerdesk.PartnerDesk.RefreshToken", SECRET_SCHEMA_NONE,
  {
    { "login-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "tenant-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct {
  PdSimulator  *sim;
  char         *login_url;
  ApiWait       wait;
  char         *shown_code;
  char         *shown_uri;
  guint         n_shown;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  PdSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  pd_simulator_options_init (&options);
  options.n_customers = 50;
  options.approve_after_ms = 150;
  f->sim = pd_simulator_new (&options);
  g_assert_true (pd_simulator_start (f->sim, 0, &error));
  g_assert_no_error (error);
  f->login_url = pd_simulator_dup_login_url (f->sim);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Each test leaves the keyring empty for the next. */
  secret_password_clear_sync (&test_schema, NULL, NULL, "client-id", CLIENT_ID, NULL);
  api_wait_clear (&f->wait);
  g_free (f->shown_code);
  g_free (f->shown_uri);
  g_free (f->login_url);
  g_clear_object (&f->sim);
}

static void
show_code (const PdDeviceCode *code,
           gpointer            data)
{
  Fixture *f = data;

  f->n_shown++;
  g_free (f->shown_code);
  f->shown_code = g_strdup (code->user_code);
  g_free (f->shown_uri);
  f->shown_uri = g_strdup (code->verification_uri);
  g_assert_cmpuint (code->expires_in, >, 0);
}

static PdAuth *
new_auth (Fixture    *f,
          const char *client_id)
{
  g_autoptr(GError) error = NULL;
  PdAuth *auth = pd_auth_new (f->login_url, client_id, &error);

  g_assert_no_error (error);
  pd_auth_set_poll_interval (auth, 30);
  return auth;
}

static gboolean
sign_in (Fixture  *f,
         PdAuth   *auth,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_auth_sign_in_async (auth, show_code, f, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  return pd_auth_sign_in_finish (auth, result, error);
}

static char *
get_token (Fixture  *f,
           PdAuth   *auth,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_auth_get_access_token_async (auth, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  return pd_auth_get_access_token_finish (auth, result, error);
}

static char *
stored_refresh_token (Fixture *f)
{
  return secret_password_lookup_sync (&test_schema, NULL, NULL, "login-url", f->login_url,
                                      "client-id", CLIENT_ID, NULL);
}

/* The customers' list through a client signed in with auth: their count, or -1 and error. */
static gint64
list_or_fail (Fixture  *f,
              PdAuth   *auth,
              GError  **error)
{
  g_autoptr(PdPcClient) client = pd_pc_client_new (pd_simulator_get_base_url (f->sim), auth,
                                                   error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (client);
  pd_pc_client_list_customers_async (client, PD_PC_FILTER_NONE, NULL, NULL, NULL, NULL,
                                     api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  return pd_pc_client_list_customers_finish (client, result, error);
}

static gint64
list_with (Fixture *f,
           PdAuth  *auth)
{
  g_autoptr(GError) error = NULL;
  gint64 count = list_or_fail (f, auth, &error);

  g_assert_no_error (error);
  return count;
}

static void
test_device_code_flow (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GAsyncResult) search = NULL;
  GList *items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected_label = NULL;

  g_assert_false (pd_auth_get_signed_in (auth));
  g_assert_true (sign_in (f, auth, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_shown, ==, 1);
  g_assert_nonnull (f->shown_code);
  g_assert_true (g_str_has_suffix (f->shown_uri, "/devicelogin"));
  g_assert_true (pd_auth_get_signed_in (auth));
  g_assert_cmpstr (pd_auth_get_tenant_id (auth), ==, pd_simulator_get_partner_tenant_id (f->sim));
  g_assert_nonnull (pd_auth_get_account (auth));
  token = get_token (f, auth, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  /* The API accepts it. */
  g_assert_cmpint (list_with (f, auth), ==, 50);

  /* One labelled item, with the account and tenant as attributes. */
  stored = stored_refresh_token (f);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored, !=, token);
  secret_password_search (&test_schema, SECRET_SEARCH_ALL, NULL, api_wait_callback, &f->wait,
                          "client-id", CLIENT_ID, NULL);
  search = api_wait_take (&f->wait);
  items = secret_password_search_finish (search, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, pd_auth_get_account (auth));
  g_assert_cmpstr (g_hash_table_lookup (attributes, "tenant-id"), ==,
                   pd_simulator_get_partner_tenant_id (f->sim));
  label = secret_retrievable_get_label (items->data);
  expected_label = g_strdup_printf ("Partner Desk sign-in (%s)", pd_auth_get_account (auth));
  g_assert_cmpstr (label, ==, expected_label);
  g_list_free_full (g_steal_pointer (&items), g_object_unref);
}

static gboolean
refresh_token_changed (gpointer data)
{
  char **previous = data;
  g_autofree char *now = secret_password_lookup_sync (&test_schema, NULL, NULL,
                                                      "client-id", CLIENT_ID, NULL);

  return g_strcmp0 (now, previous[0]) != 0;
}

/* A new process: restore from the keyring, refresh (rotating the stored token), sign out. */
static void
test_restore_refresh_sign_out (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(PdAuth) first = new_auth (f, CLIENT_ID);
  g_autoptr(PdAuth) second = new_auth (f, CLIENT_ID);
  g_autoptr(PdAuth) third = new_auth (f, CLIENT_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *after_sign_out = NULL;

  g_assert_true (sign_in (f, first, &error));
  before = stored_refresh_token (f);

  pd_auth_restore_async (second, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_true (pd_auth_restore_finish (second, result, &error));
  g_assert_no_error (error);
  g_assert_true (pd_auth_get_signed_in (second));
  g_assert_cmpstr (pd_auth_get_tenant_id (second), ==,
                   pd_simulator_get_partner_tenant_id (f->sim));
  g_assert_cmpstr (pd_auth_get_account (second), ==, pd_auth_get_account (first));
  /* Redeeming rotated the refresh token, and the new one is stored. */
  g_assert_true (pd_test_wait_until (refresh_token_changed, &before, WAIT_MS));

  /* After a 401 the next token is a fresh one. */
  token = get_token (f, second, &error);
  g_assert_no_error (error);
  pd_auth_invalidate_access_token (second);
  token2 = get_token (f, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, !=, token2);
  g_assert_cmpint (list_with (f, second), ==, 50);

  g_clear_object (&result);
  pd_auth_sign_out_async (second, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_true (pd_auth_sign_out_finish (second, result, &error));
  g_assert_no_error (error);
  g_assert_false (pd_auth_get_signed_in (second));
  after_sign_out = stored_refresh_token (f);
  g_assert_null (after_sign_out);

  /* Nothing stored: restore finishes FALSE without an error. */
  g_clear_object (&result);
  pd_auth_restore_async (third, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_false (pd_auth_restore_finish (third, result, &error));
  g_assert_no_error (error);
  g_assert_false (pd_auth_get_signed_in (third));
}

/* Without a Secret Service: the sign-in holds for the session, and a sign-out and a restore
 * fail with NO_SECRET_SERVICE (what the app and the CLI word as "no keyring"), libsecret's
 * reason after ours. In a subprocess, whose session bus is nowhere before libsecret asks. */
static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PdAuth) auth = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/partner-desk-test", TRUE);
  auth = new_auth (f, CLIENT_ID);
  g_assert_true (sign_in (f, auth, &error));
  g_assert_no_error (error);
  g_assert_true (pd_auth_get_signed_in (auth));

  pd_auth_sign_out_async (auth, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_false (pd_auth_sign_out_finish (auth, result, &error));
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE);
  g_assert_nonnull (strstr (error->message, "Secret Service"));
  g_assert_false (pd_auth_get_signed_in (auth));

  g_clear_error (&error);
  g_clear_object (&result);
  pd_auth_restore_async (auth, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_false (pd_auth_restore_finish (auth, result, &error));
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NO_SECRET_SERVICE);
}

typedef struct {
  guint n_done;
  guint n_ok;
} Tally;

static void
on_token_tallied (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Tally *tally = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pd_auth_get_access_token_finish (PD_AUTH (source), result, &error);

  tally->n_ok += token != NULL;
  tally->n_done++;
}

static gboolean
tally_complete (gpointer data)
{
  return ((Tally *) data)->n_done == 5;
}

/* Concurrent token requests share one refresh: the simulator rotates refresh tokens and
 * refuses a used one, so separate refreshes would fail all but one. */
static void
test_concurrent_refresh (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;
  Tally tally = { 0 };

  g_assert_true (sign_in (f, auth, &error));
  pd_auth_invalidate_access_token (auth);
  for (guint i = 0; i < 5; i++)
    pd_auth_get_access_token_async (auth, NULL, on_token_tallied, &tally);
  g_assert_true (pd_test_wait_until (tally_complete, &tally, WAIT_MS));
  g_assert_cmpuint (tally.n_ok, ==, 5);
  g_assert_true (pd_auth_get_signed_in (auth));
}

/* Microsoft's sign-in refuses the application itself when the token is renewed (its
 * registration deleted or disabled: 400 unauthorized_client): a sign-in problem, said as one,
 * not "Partner Center cannot be reached". Before, every call failed as a network error, and
 * the app showed itself offline. */
static void
test_refresh_refused_is_no_network_error (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;

  g_assert_true (sign_in (f, auth, &error));
  pd_simulator_set_token_failure (f->sim, 400);
  pd_auth_invalidate_access_token (auth);
  g_assert_cmpint (list_or_fail (f, auth, &error), ==, -1);
  g_test_message ("%s", error->message);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "AADSTS700016"));
}

/* Microsoft's sign-in failing for a while (503) when the token is renewed is no refusal: the
 * call fails as the network does (not "sign in again"), and the sign-in stays. */
static void
test_refresh_server_error_keeps_sign_in (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;

  g_assert_true (sign_in (f, auth, &error));
  pd_simulator_set_token_failure (f->sim, 503);
  pd_auth_invalidate_access_token (auth);
  g_assert_cmpint (list_or_fail (f, auth, &error), ==, -1);
  g_test_message ("%s", error->message);
  g_assert_error (error, PD_PC_ERROR, PD_PC_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "HTTP 503"));
  g_assert_true (pd_auth_get_signed_in (auth));
}

static gboolean
tally_one_done (gpointer data)
{
  return ((Tally *) data)->n_done == 1;
}

/* A sign-out while a token refresh is on its way: the refresh's answer, arriving after it,
 * neither signs back in nor stores the sign-in again, and who waited for a token is told it
 * is signed out. Before, the answer restored the tokens and the keyring's entry. */
static void
test_sign_out_during_refresh (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  Tally tally = { 0 };

  g_assert_true (sign_in (f, auth, &error));
  pd_simulator_set_latency (f->sim, 500, 0);
  pd_auth_invalidate_access_token (auth);
  pd_auth_get_access_token_async (auth, NULL, on_token_tallied, &tally);
  pd_auth_sign_out_async (auth, NULL, api_wait_callback, &f->wait);
  result = api_wait_take (&f->wait);
  g_assert_true (pd_auth_sign_out_finish (auth, result, &error));
  g_assert_no_error (error);
  g_assert_true (pd_test_wait_until (tally_one_done, &tally, WAIT_MS));
  pd_test_spin (1000);   /* a store the answer would have started */
  g_assert_cmpuint (tally.n_ok, ==, 0);
  g_assert_false (pd_auth_get_signed_in (auth));
  stored = stored_refresh_token (f);
  g_assert_null (stored);
}

typedef struct {
  PdAuth   *auth;
  char     *first;
  gboolean  renewed;
} Renewal;

static void ask_token (Renewal *renewal);

static gboolean
ask_again (gpointer data)
{
  ask_token (data);
  return G_SOURCE_REMOVE;
}

static void
on_renewal_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Renewal *renewal = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = pd_auth_get_access_token_finish (PD_AUTH (source), result, &error);

  g_assert_no_error (error);
  if (g_strcmp0 (token, renewal->first) != 0)
    renewal->renewed = TRUE;
  else
    g_timeout_add (50, ask_again, renewal);
}

static void
ask_token (Renewal *renewal)
{
  pd_auth_get_access_token_async (renewal->auth, NULL, on_renewal_token, renewal);
}

/* A token that lives 2 s is renewed before it expires (after half its life), without any
 * 401 from the API. */
static void
test_renewed_before_expiry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;
  Renewal renewal = { auth, NULL, FALSE };
  gint64 started;

  pd_simulator_set_token_lifetime (f->sim, 2);
  g_assert_true (sign_in (f, auth, &error));
  started = g_get_monotonic_time ();
  renewal.first = get_token (f, auth, &error);
  g_assert_no_error (error);
  ask_token (&renewal);
  g_assert_true (pd_test_wait_for_flag (&renewal.renewed, WAIT_MS));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (list_with (f, auth), ==, 50);
  g_free (renewal.first);
}

static void
test_declined_and_expired (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdAuth) declined = new_auth (f, "decline");
  g_autoptr(PdAuth) expired = new_auth (f, "expire");
  g_autoptr(GError) error = NULL;

  g_assert_false (sign_in (f, declined, &error));
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_DECLINED);
  g_assert_false (pd_auth_get_signed_in (declined));
  g_clear_error (&error);
  g_assert_false (sign_in (f, expired, &error));
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_EXPIRED);
}

static gboolean
code_shown (gpointer data)
{
  return ((Fixture *) data)->n_shown > 0;
}

static void
test_sign_in_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  pd_simulator_set_approve_after (f->sim, 60000);
  pd_auth_sign_in_async (auth, show_code, f, cancellable, api_wait_callback, &f->wait);
  /* The code is shown, so polling has begun. */
  g_assert_true (pd_test_wait_until (code_shown, f, WAIT_MS));
  g_cancellable_cancel (cancellable);
  result = api_wait_take (&f->wait);
  g_assert_false (pd_auth_sign_in_finish (auth, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pd_auth_get_signed_in (auth));
}

static void
test_not_signed_in (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PdAuth) auth = new_auth (f, CLIENT_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = get_token (f, auth, &error);

  g_assert_null (token);
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_NOT_SIGNED_IN);
}

static void
test_insecure_and_environment (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) insecure = pd_auth_new ("http://login.example.com/organizations", CLIENT_ID,
                                            &error);
  g_autoptr(PdAuth) from_env = NULL;
  g_autofree char *token = NULL;

  g_assert_null (insecure);
  g_assert_error (error, PD_AUTH_ERROR, PD_AUTH_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_setenv ("PARTNER_DESK_ACCESS_TOKEN", "env-bearer-value", TRUE);
  from_env = pd_auth_new_from_environment (NULL, CLIENT_ID, &error);
  g_unsetenv ("PARTNER_DESK_ACCESS_TOKEN");
  g_assert_no_error (error);
  g_assert_true (pd_auth_get_signed_in (from_env));
  token = get_token (f, from_env, &error);
  g_assert_cmpstr (token, ==, "env-bearer-value");
}

/* A scripted login authority: the token endpoint answers from a list, and records when. */
typedef struct {
  const char * const *answers;   /* "status body" */
  guint               n_polls;
  gint64              at_us[8];
} Authority;

static void
on_login_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           data)
{
  Authority *authority = data;
  const char *answer;

  if (g_str_has_suffix (path, "/devicecode"))
    answer = "200 {\"device_code\":\"dc\",\"user_code\":\"UC\",\"verification_uri\":"
             "\"https://login.example/device\",\"expires_in\":60,\"interval\":5}";
  else
    {
      authority->at_us[MIN (authority->n_polls, 7u)] = g_get_monotonic_time ();
      answer = authority->answers[authority->n_polls++];
    }
  soup_server_message_set_status (msg, (guint) g_ascii_strtoull (answer, NULL, 10), NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer + 4,
                                    strlen (answer + 4));
}

/* authorization_pending keeps polling; slow_down lengthens the interval; then signed in. */
static void
test_pending_and_slow_down (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const answers[] = {
    "400 {\"error\":\"authorization_pending\",\"error_description\":\"AADSTS70016\"}",
    "400 {\"error\":\"slow_down\"}",
    "400 {\"error\":\"authorization_pending\"}",
    "200 {\"access_token\":\"opaque-a\",\"refresh_token\":\"opaque-r\",\"expires_in\":3600}",
  };
  Authority authority = { answers, 0, { 0 } };
  g_autofree char *base = NULL;
  g_autoptr(SoupServer) server = api_loopback_server_new (on_login_request, &authority, &base);
  g_autofree char *url = g_strconcat (base, "/organizations", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PdAuth) auth = NULL;

  auth = pd_auth_new (url, CLIENT_ID, &error);
  g_assert_no_error (error);
  pd_auth_set_poll_interval (auth, 40);
  g_assert_true (sign_in (f, auth, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->shown_code, ==, "UC");
  g_assert_cmpuint (authority.n_polls, ==, 4);
  /* 40 ms, then 80 ms after slow_down. */
  g_assert_cmpint (authority.at_us[2] - authority.at_us[1], >=, 75 * 1000);
  g_assert_true (pd_auth_get_signed_in (auth));
  /* An opaque (non-JWT) token: no tenant known, still signed in. */
  g_assert_null (pd_auth_get_tenant_id (auth));
  soup_server_disconnect (server);
}

int
main (int argc, char **argv)
{
  pd_test_init (&argc, &argv);
#define ADD(path, fn) g_test_add ("/api/auth/" path, Fixture, NULL, fixture_setup, fn, \
                                  fixture_teardown)
  ADD ("device-code-flow", test_device_code_flow);
  ADD ("restore-refresh-sign-out", test_restore_refresh_sign_out);
  ADD ("concurrent-refresh", test_concurrent_refresh);
  ADD ("sign-out-during-refresh", test_sign_out_during_refresh);
  ADD ("refresh-refused-is-no-network-error", test_refresh_refused_is_no_network_error);
  ADD ("refresh-server-error-keeps-sign-in", test_refresh_server_error_keeps_sign_in);
  ADD ("renewed-before-expiry", test_renewed_before_expiry);
  ADD ("declined-and-expired", test_declined_and_expired);
  ADD ("sign-in-cancelled", test_sign_in_cancelled);
  ADD ("not-signed-in", test_not_signed_in);
  ADD ("pending-and-slow-down", test_pending_and_slow_down);
  ADD ("insecure-and-environment", test_insecure_and_environment);
  ADD ("no-keyring", test_no_keyring);
#undef ADD
  return g_test_run ();
}
