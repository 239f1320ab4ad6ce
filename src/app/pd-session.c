/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-session.c — the non-widget object every view shares: store, settings, auth, client,
 * sync engine, duplicate index, background sync timer and network state.
 */
#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pd-app-resources.h"
#include "pd-session.h"

struct _PdSession
{
  GObject          parent_instance;

  PdStore         *store;
  GSettings       *settings;
  PdAuth          *auth;
  PdPcClient      *client;
  PdSyncEngine    *engine;
  PdDuplicates    *duplicates;
  /* Bumped by every wholesale change, so a threaded build knows whether it missed one. */
  guint            duplicates_generation;
  gboolean         duplicates_warming;
  /* A wholesale change (another program's commit) came after the index's snapshot. */
  gboolean         duplicates_stale;
  /* Organizations changed one by one while a threaded build ran: applied once it is in. */
  GArray          *duplicates_pending;

  GNetworkMonitor *monitor;
  gboolean         network_available;
  /* Why the last run could not reach Partner Center (transport error), or NULL. */
  char            *unreachable;
  gboolean         demo;
  gboolean         syncing;
  gboolean         sync_background;
  GCancellable    *sync_cancellable;
  guint            timer_id;
  GDateTime       *next_sync;
  /* The cache's data version when last looked at, and the check of it (see
   * check_other_writers). */
  gint64           data_version;
  guint            watch_id;
};

G_DEFINE_FINAL_TYPE (PdSession, pd_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_CLIENT,
  PROP_SYNC_ENGINE,
  PROP_SIGNED_IN,
  PROP_SYNCING,
  PROP_OFFLINE,
  PROP_UNREACHABLE,
  PROP_DEMO,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  ORGANIZATIONS_CHANGED,
  SYNC_FINISHED,
  DUPLICATES_READY,
  DUPLICATES_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* A sync never starts sooner than this after launch or connect: the user sees the cached
 * list first, and a quick restart does not hammer Partner Center. */
#define MIN_BACKGROUND_DELAY_S 60

/* How often the cache is checked for what another process (the CLI, the timer's sync) wrote:
 * a counter that costs no disk read, so the list and the editor are never more than this
 * behind, and a field the user edits next is not one a script changed unseen. */
#define OTHER_WRITERS_CHECK_S 1

static void schedule_background_sync (PdSession *self);

static void
pd_session_dispose (GObject *object)
{
  PdSession *self = PD_SESSION (object);

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->watch_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_object (&self->auth);
  g_clear_object (&self->duplicates);
  g_clear_pointer (&self->duplicates_pending, g_array_unref);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->next_sync, g_date_time_unref);
  g_clear_pointer (&self->unreachable, g_free);

  G_OBJECT_CLASS (pd_session_parent_class)->dispose (object);
}

static void
pd_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PdSession *self = PD_SESSION (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, pd_session_get_signed_in (self));
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, pd_session_get_offline (self));
      break;
    case PROP_UNREACHABLE:
      g_value_set_boolean (value, self->unreachable != NULL);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_session_class_init (PdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pd_session_dispose;
  object_class->get_property = pd_session_get_property;

  /* libpd-app is a static library: its generated resource object (whose constructor registers
   * the .ui files) is linked only when something references it. Every view needs a session,
   * so referencing it here makes the templates available to the app and the tests alike. */
  g_assert_nonnull (pd_app_get_resource ());

  properties[PROP_AUTH] = g_param_spec_object ("auth", NULL, NULL, PD_TYPE_AUTH, flags);
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, PD_TYPE_PC_CLIENT, flags);
  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL, PD_TYPE_SYNC_ENGINE, flags);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, flags);
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, flags);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, flags);
  properties[PROP_UNREACHABLE] = g_param_spec_boolean ("unreachable", NULL, NULL, FALSE, flags);
  properties[PROP_DEMO] = g_param_spec_boolean ("demo", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ORGANIZATIONS_CHANGED] =
    g_signal_new ("organizations-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[DUPLICATES_READY] =
    g_signal_new ("duplicates-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DUPLICATES_FAILED] =
    g_signal_new ("duplicates-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_POINTER, G_TYPE_BOOLEAN);
}

static void
pd_session_init (PdSession *self)
{
}

static void     set_unreachable (PdSession *self, const char *reason);
static gboolean api_is_loopback (PdSession *self);

static void
on_network_changed (PdSession *self)
{
  gboolean available = g_network_monitor_get_network_available (self->monitor);

  /* A failure while the network was gone says nothing about the network that came back: the
   * next run tells. A loopback API does not depend on the network monitor at all. */
  if (available && !self->network_available && !api_is_loopback (self))
    set_unreachable (self, NULL);
  self->network_available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
on_batch_stored (PdSession *self)
{
  pd_session_notify_changed (self, 0);
}

static void apply_client_settings (PdSession *self);

/* Another connection committed to the cache since the last look: every view reloads what it
 * shows (the app's own writes, on this connection, do not count; they notify themselves). */
static gboolean
check_other_writers (gpointer user_data)
{
  PdSession *self = user_data;
  gint64 version = 0;

  if (pd_store_get_data_version (self->store, &version, NULL) && version != self->data_version)
    {
      self->data_version = version;
      /* Before the views reload: the editor judges a bill-to with the rules they saved. */
      pd_store_follow_other_writers (self->store);
      pd_session_notify_changed (self, 0);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_settings_changed (PdSession  *self,
                     const char *key)
{
  if (g_str_equal (key, "sync-interval"))
    schedule_background_sync (self);
  else if (g_str_equal (key, "max-in-flight") || g_str_equal (key, "requests-per-minute"))
    apply_client_settings (self);
}

PdSession *
pd_session_new (PdStore   *store,
                GSettings *settings)
{
  PdSession *self;

  g_return_val_if_fail (PD_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PD_TYPE_SESSION, NULL);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  g_signal_connect_swapped (self->monitor, "notify::network-available",
                            G_CALLBACK (on_network_changed), self);
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_settings_changed), self);
  pd_store_get_data_version (self->store, &self->data_version, NULL);
  self->watch_id = g_timeout_add_seconds (OTHER_WRITERS_CHECK_S, check_other_writers, self);
  return self;
}

PdStore *
pd_session_get_store (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->store;
}

GSettings *
pd_session_get_settings (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->settings;
}

PdAuth *
pd_session_get_auth (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->auth;
}

PdPcClient *
pd_session_get_client (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->client;
}

PdSyncEngine *
pd_session_get_sync_engine (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->engine;
}

/* Setting, else environment variable, else built-in default: the order the README
 * documents. */
static char *
dup_url (PdSession  *self,
         const char *key,
         const char *env,
         const char *fallback)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);
  const char *from_env = g_getenv (env);

  if (value != NULL && *value != '\0')
    return g_steal_pointer (&value);
  if (from_env != NULL && *from_env != '\0')
    return g_strdup (from_env);
  return g_strdup (fallback);
}

char *
pd_session_dup_api_url (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return dup_url (self, "api-url", "PARTNER_DESK_API_URL", PD_DEFAULT_API_URL);
}

char *
pd_session_dup_login_url (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return dup_url (self, "login-url", "PARTNER_DESK_LOGIN_URL", PD_DEFAULT_LOGIN_URL);
}

PdAuth *
pd_session_new_auth (PdSession  *self,
                     GError    **error)
{
  g_autofree char *client_id = NULL;
  g_autofree char *login_url = NULL;

  g_return_val_if_fail (PD_IS_SESSION (self), NULL);

  client_id = g_settings_get_string (self->settings, "client-id");
  login_url = pd_session_dup_login_url (self);
  /* The login URL setting wins over the environment, except that a fixed access token
   * (PARTNER_DESK_ACCESS_TOKEN) skips sign-in altogether. */
  if (g_getenv ("PARTNER_DESK_ACCESS_TOKEN") != NULL)
    return pd_auth_new_from_environment (login_url, client_id, error);
  return pd_auth_new (login_url, client_id, error);
}

static void
apply_client_settings (PdSession *self)
{
  if (self->client == NULL)
    return;
  pd_pc_client_set_max_in_flight (self->client,
                                  g_settings_get_uint (self->settings, "max-in-flight"));
  pd_pc_client_set_requests_per_minute (self->client,
                                        g_settings_get_uint (self->settings,
                                                             "requests-per-minute"));
}

static void
on_auth_notify (PdSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
notify_connection (PdSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
set_auth (PdSession *self,
          PdAuth    *auth)
{
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_set_object (&self->auth, auth);
  /* Sign-in state changes inside PdAuth (refresh failure, sign-out) reach the views. */
  if (self->auth != NULL)
    g_signal_connect_swapped (self->auth, "notify", G_CALLBACK (on_auth_notify), self);
}

gboolean
pd_session_connect (PdSession   *self,
                    PdAuth      *auth,
                    const char  *api_url,
                    GError     **error)
{
  g_autofree char *url = NULL;
  g_autoptr(PdPcClient) client = NULL;

  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  g_return_val_if_fail (PD_IS_AUTH (auth), FALSE);

  url = api_url != NULL ? g_strdup (api_url) : pd_session_dup_api_url (self);
  client = pd_pc_client_new (url, auth, error);
  if (client == NULL)
    return FALSE;

  pd_session_cancel_sync (self);
  set_auth (self, auth);
  g_set_object (&self->client, client);
  g_clear_object (&self->engine);
  self->engine = pd_sync_engine_new (self->store, self->client);
  /* The engine writes through this session's connection, which PRAGMA data_version does not
   * count (check_other_writers): each batch it stores is said here, to every view. */
  g_signal_connect_object (self->engine, "batch-stored", G_CALLBACK (on_batch_stored), self,
                           G_CONNECT_SWAPPED);
  apply_client_settings (self);
  /* Another API (or the same one again): nothing is known about reaching it yet. */
  set_unreachable (self, NULL);
  notify_connection (self);
  schedule_background_sync (self);
  return TRUE;
}

gboolean
pd_session_connect_account (PdSession  *self,
                            PdAuth     *auth,
                            GError    **error)
{
  const char *tenant;

  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  g_return_val_if_fail (PD_IS_AUTH (auth), FALSE);

  tenant = pd_auth_get_tenant_id (auth);
  /* Never connected to another account than the cache's: its pushes and checks would go to
   * that partner's Partner Center with this cache's customers. */
  if (tenant != NULL && !pd_store_check_partner (self->store, tenant, NULL, NULL, error))
    return FALSE;
  if (!pd_session_connect (self, auth, NULL, error))
    return FALSE;
  return tenant == NULL || pd_store_claim_partner (self->store, tenant, NULL, NULL, error);
}

void
pd_session_disconnect (PdSession *self)
{
  g_return_if_fail (PD_IS_SESSION (self));

  pd_session_cancel_sync (self);
  set_auth (self, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->engine);
  set_unreachable (self, NULL);
  schedule_background_sync (self);
  notify_connection (self);
}

gboolean
pd_session_get_demo (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return self->demo;
}

void
pd_session_set_demo (PdSession *self,
                     gboolean   demo)
{
  g_return_if_fail (PD_IS_SESSION (self));

  demo = !!demo;
  if (self->demo == demo)
    return;
  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

PdPartnerRole
pd_session_get_role (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), PD_PARTNER_ROLE_RESELLER);
  return (PdPartnerRole) g_settings_get_enum (self->settings, "partner-role");
}

gboolean
pd_session_can_push_to_partner_center (PdSession *self)
{
  return pd_session_get_role (self) != PD_PARTNER_ROLE_RESELLER;
}

gboolean
pd_session_get_signed_in (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return self->auth != NULL && self->client != NULL && pd_auth_get_signed_in (self->auth);
}

/* Loopback hosts (the demo's and the tests' simulator) need no network. */
static gboolean
api_is_loopback (PdSession *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;

  url = self->client != NULL ? g_strdup (pd_pc_client_get_base_url (self->client))
                             : pd_session_dup_api_url (self);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  return host != NULL && (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "localhost")
                          || g_str_equal (host, "::1"));
}

gboolean
pd_session_get_offline (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return !g_network_monitor_get_network_available (self->monitor) && !api_is_loopback (self);
}

gboolean
pd_session_get_unreachable (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return self->unreachable != NULL;
}

const char *
pd_session_get_unreachable_reason (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->unreachable;
}

static void
set_unreachable (PdSession  *self,
                 const char *reason)
{
  if (g_strcmp0 (self->unreachable, reason) == 0)
    return;
  g_free (self->unreachable);
  self->unreachable = g_strdup (reason);
  /* Also when only the reason changed: the banner shows it. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREACHABLE]);
}

/* What a finished run says about reaching Partner Center: a transport failure (refused,
 * DNS, TLS, timeout) means it cannot be reached; an answer of any kind, even an HTTP error,
 * means it can. Cancellation and local failures (the cache) say nothing. */
static void
note_reachability (PdSession    *self,
                   const GError *error)
{
  if (error == NULL)
    set_unreachable (self, NULL);
  else if (g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_NETWORK)
           || g_error_matches (error, PD_PC_ERROR, PD_PC_ERROR_TIMEOUT))
    set_unreachable (self, error->message);
  else if (error->domain == PD_PC_ERROR)
    set_unreachable (self, NULL);
}

/* ---- duplicates ---- */

PdDuplicates *
pd_session_peek_duplicates (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->duplicates;
}

static void
warm_duplicates_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GPtrArray *orgs = g_object_get_data (G_OBJECT (task), "organizations");
  g_autoptr(PdStore) store = NULL;
  GError *error = NULL;
  PdDuplicates *index = NULL;

  if (orgs != NULL)
    {
      g_task_return_pointer (task, pd_duplicates_new_for_organizations (orgs), g_object_unref);
      return;
    }
  store = pd_store_open (task_data, &error);
  if (store != NULL)
    index = pd_duplicates_new_for_store (store, &error);
  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, g_object_unref);
}

static void update_duplicates (PdSession *self, gint64 id);

static void
warm_duplicates_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PdSession *self = PD_SESSION (object);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(PdDuplicates) index = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(GArray) pending = g_steal_pointer (&self->duplicates_pending);

  self->duplicates_warming = FALSE;
  index = g_task_propagate_pointer (G_TASK (result), &error);
  if (index == NULL)
    {
      /* Whoever waits for the index must not take silence for "no duplicates". An index
       * being refreshed stays as it was. */
      g_debug ("Duplicate index not built in the background: %s", error->message);
      if (self->duplicates == NULL)
        g_signal_emit (self, signals[DUPLICATES_FAILED], 0, error->message);
      return;
    }
  /* Newer than the one it replaces even when another program committed while it was built
   * (it is then stale, and the next use builds it again): discarding it would leave a dialog
   * checking forever while a sync of the timer commits every few seconds. */
  g_set_object (&self->duplicates, index);
  self->duplicates_stale = generation != self->duplicates_generation;
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    update_duplicates (self, g_array_index (pending, gint64, i));
  g_signal_emit (self, signals[DUPLICATES_READY], 0);
#ifdef __GLIBC__
  /* Building the index over 100,000 organizations leaves freed scratch memory in the worker
   * thread's malloc arena; hand it back to the system. */
  malloc_trim (0);
#endif
}

void
pd_session_warm_duplicates (PdSession *self,
                            GPtrArray *organizations)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PD_IS_SESSION (self));

  if ((self->duplicates != NULL && !self->duplicates_stale) || self->duplicates_warming)
    return;
  self->duplicates_warming = TRUE;
  task = g_task_new (self, NULL, warm_duplicates_done,
                     GUINT_TO_POINTER (self->duplicates_generation));
  g_task_set_source_tag (task, pd_session_warm_duplicates);
  g_task_set_task_data (task, g_strdup (pd_store_get_path (self->store)), g_free);
  if (organizations != NULL)
    g_object_set_data_full (G_OBJECT (task), "organizations", g_ptr_array_ref (organizations),
                            (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, warm_duplicates_thread);
}

static void
update_duplicates (PdSession *self,
                   gint64     id)
{
  g_autoptr(PdOrganization) org = NULL;

  if (id == 0)
    {
      /* Many changed: the index answers as it was until its next use rebuilds it. What was
       * added meanwhile is checked again by the create itself (PdStoreCreateGuard); a rename or
       * a removal shows once the rebuild, started by the next keystroke, is in. */
      self->duplicates_generation++;
      self->duplicates_stale = self->duplicates != NULL;
      return;
    }
  /* The threaded build reads a snapshot: single changes are applied to it when it arrives,
   * and to the index in use meanwhile. */
  if (self->duplicates_warming)
    {
      if (self->duplicates_pending == NULL)
        self->duplicates_pending = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (self->duplicates_pending, id);
    }
  if (self->duplicates == NULL)
    return;
  org = pd_store_get (self->store, id, NULL);
  if (org == NULL)
    pd_duplicates_remove (self->duplicates, id);
  else
    pd_duplicates_add_organization (self->duplicates, org);
}

void
pd_session_notify_changed (PdSession *self,
                           gint64     id)
{
  g_return_if_fail (PD_IS_SESSION (self));

  update_duplicates (self, id);
  g_signal_emit (self, signals[ORGANIZATIONS_CHANGED], 0, id);
}

/* ---- sync ---- */

gboolean
pd_session_get_syncing (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);
  return self->syncing;
}

static void
set_syncing (PdSession *self,
             gboolean   syncing)
{
  if (self->syncing == syncing)
    return;
  self->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

/* A run (a sync or a retry) starts: it gets its own cancellable, and syncing turns TRUE. */
static void
begin_run (PdSession *self,
           gboolean   background)
{
  self->sync_cancellable = g_cancellable_new ();
  self->sync_background = background;
  set_syncing (self, TRUE);
}

/* A run of engine ended with run_id (error set when it failed: then the run it recorded, if
 * any): what the end of every run does. */
static void
end_run (PdSession    *self,
         PdSyncEngine *engine,
         gint64        run_id,
         const GError *error)
{
  /* Read first: a handler of the signals below may start the next run. */
  gboolean background = self->sync_background;

  if (error != NULL)
    run_id = pd_sync_engine_get_last_run_id (engine);
  g_clear_object (&self->sync_cancellable);
  note_reachability (self, error);
  set_syncing (self, FALSE);
  /* The list may have missed the last batch; one full refresh makes it exact. */
  pd_session_notify_changed (self, 0);
  g_signal_emit (self, signals[SYNC_FINISHED], 0, run_id, error, background);
}

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PdSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_sync_engine_run_finish (PD_SYNC_ENGINE (object), result, &error);

  end_run (self, PD_SYNC_ENGINE (object), run_id, error);
  schedule_background_sync (self);
}

static void
retry_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PdSession) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 run_id = pd_sync_engine_retry_finish (PD_SYNC_ENGINE (object), result, &error);

  end_run (self, PD_SYNC_ENGINE (object), run_id, error);
}

static gboolean
can_start (PdSession *self)
{
  return self->engine != NULL && !self->syncing && !pd_sync_engine_get_running (self->engine);
}

gboolean
pd_session_sync (PdSession  *self,
                 PdSyncMode  mode,
                 gboolean    background)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);

  if (!can_start (self))
    return FALSE;
  begin_run (self, background);
  pd_sync_engine_run_async (self->engine, mode, self->sync_cancellable, sync_done,
                            g_object_ref (self));
  return TRUE;
}

gboolean
pd_session_sync_allowing_mass_removal (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);

  if (!can_start (self))
    return FALSE;
  pd_sync_engine_allow_mass_removal_once (self->engine);
  return pd_session_sync (self, PD_SYNC_MODE_FULL, FALSE);
}

gboolean
pd_session_retry (PdSession          *self,
                  const char * const *tenant_ids)
{
  g_return_val_if_fail (PD_IS_SESSION (self), FALSE);

  if (!can_start (self) || tenant_ids == NULL || tenant_ids[0] == NULL)
    return FALSE;
  begin_run (self, FALSE);
  pd_sync_engine_retry_async (self->engine, tenant_ids, self->sync_cancellable, retry_done,
                              g_object_ref (self));
  return TRUE;
}

void
pd_session_cancel_sync (PdSession *self)
{
  g_return_if_fail (PD_IS_SESSION (self));
  g_cancellable_cancel (self->sync_cancellable);
}

GDateTime *
pd_session_dup_next_sync (PdSession *self)
{
  g_return_val_if_fail (PD_IS_SESSION (self), NULL);
  return self->next_sync != NULL ? g_date_time_ref (self->next_sync) : NULL;
}

static gboolean
on_background_timer (gpointer user_data)
{
  PdSession *self = user_data;

  self->timer_id = 0;
  if (pd_session_get_signed_in (self) && !pd_session_get_offline (self))
    pd_session_sync (self, PD_SYNC_MODE_AUTO, TRUE);
  /* When it could not start (offline, running), the next slot is one interval away. */
  if (!self->syncing)
    schedule_background_sync (self);
  return G_SOURCE_REMOVE;
}

/* Next run: one interval after the last complete sync, but not before a minute from now.
 * A cache that never synced is not synced in the background (the user starts the first
 * run, which may be large). */
static void
schedule_background_sync (PdSession *self)
{
  guint interval = g_settings_get_uint (self->settings, "sync-interval");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) earliest = NULL;
  GDateTime *next;
  GTimeSpan delay;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_pointer (&self->next_sync, g_date_time_unref);
  if (interval == 0 || self->engine == NULL || self->syncing)
    return;
  last = pd_store_get_last_complete_sync (self->store);
  if (last == NULL)
    return;
  next = g_date_time_add_minutes (last, interval);
  earliest = g_date_time_add_seconds (now, MIN_BACKGROUND_DELAY_S);
  if (g_date_time_compare (next, earliest) < 0)
    {
      g_date_time_unref (next);
      next = g_date_time_ref (earliest);
    }
  self->next_sync = next;
  delay = g_date_time_difference (next, now) / G_TIME_SPAN_SECOND;
  self->timer_id = g_timeout_add_seconds ((guint) MAX (delay, 1), on_background_timer, self);
}
