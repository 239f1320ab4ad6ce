/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pd-sim-countries.h — per-country sample material for the simulator's generator. */
#pragma once

#include "pd-sim-data.h"

G_BEGIN_DECLS

typedef struct {
  PdSimCountryInfo info;
  guint       weight;            /* relative share of customers */
  const char *language;          /* "de" */
  const char *tld;               /* custom domains: "de", "co.uk" */
  const char *surnames;          /* contacts (and company names unless company_surnames) */
  const char *company_surnames;  /* e.g. Finnish genitive forms; may be NULL */
  const char *first_names;
  const char *trades;
  const char *suffixes;          /* legal forms */
  const char *templates;         /* company name templates */
  const char *places;            /* {P}: place words as company names use them; may be NULL */
  const char *cities;            /* "City;postal;state" */
  const char *streets;
  gboolean    number_first;      /* "12 Main Street" rather than "Hauptstraße 12" */
  const char *phone_format;      /* '#' = a random digit */
} PdSimCountry;

guint               pd_sim_countries_count (void);
/* (transfer none) */
const PdSimCountry *pd_sim_countries_get   (guint index);

G_END_DECLS
