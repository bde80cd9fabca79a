"""`journal import`: bring a Jekyll, Hugo, Astro or Gatsby blog into content/, keeping every
old URL (permalink or redirect pages) and every old feed id. One module per engine reads the
other site's own configuration and routing into an `OldSite`; the shared modules copy it."""
