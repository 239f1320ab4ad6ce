/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-auth-private.h — the PdAuth hook tests use. Not part of the public contract; included by
 * pd-auth.c and tests only. */
#pragma once

#include "pd-auth.h"

G_BEGIN_DECLS

/* Tests: poll the token endpoint every interval_ms instead of Entra's interval (0 = Entra's). */
void        pd_auth_set_poll_interval   (PdAuth *self, guint interval_ms);

G_END_DECLS
