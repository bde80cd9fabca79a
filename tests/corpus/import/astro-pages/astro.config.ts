import { defineConfig } from "astro/config";

export default defineConfig({
  site: "https://pages.example.dev",
  base: "/journal",
  build: {
    format: "file",
  },
});
