/* SPDX-License-Identifier: GPL-3.0-or-later */
/* api-test-common.c — see api-test-common.h. */
#include "api-test-common.h"
#include "pd-test-util.h"

void
api_wait_callback (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ApiWait *wait = data;

  g_clear_object (&wait->result);
  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

GAsyncResult *
api_wait_take (ApiWait *wait)
{
  g_assert_true (pd_test_wait_for_flag (&wait->done, API_TEST_WAIT_MS));
  wait->done = FALSE;
  return g_steal_pointer (&wait->result);
}

void
api_wait_clear (ApiWait *wait)
{
  g_clear_object (&wait->result);
  wait->done = FALSE;
}

SoupServer *
api_loopback_server_new (SoupServerCallback   handler,
                         gpointer             data,
                         char               **base_url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, data, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}
