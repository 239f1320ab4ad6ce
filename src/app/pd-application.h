/* pd-application.h — the GApplication: one instance per user (a second launch activates the
 * first), opens the cache, restores sign-in without blocking, the app.* actions, `--demo`,
 * and the desktop notification after a background sync that needs attention.
 */
#pragma once

#include <adwaita.h>

#include "pd-session.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())
G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication *pd_application_new         (void);
/* NULL before startup or when the cache could not be opened. */
PdSession     *pd_application_get_session (PdApplication *self);

G_END_DECLS
