/* placeholder until the desktop app issue: a minimal window */
#include "config.h"
#include <adwaita.h>
int main (int argc, char **argv);
static void
on_activate (GtkApplication *app)
{
  GtkWidget *win = adw_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (win), "Partner Desk");
  gtk_window_present (GTK_WINDOW (win));
}
int
main (int argc, char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
