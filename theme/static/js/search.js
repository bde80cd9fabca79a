// The search page's script, the one script of the site: loaded only on /search/, it asks the
// Pagefind index under /pagefind/ (made by the production build) and lists what it finds.
// Without it the page still lists every series and tag. Nothing is sent anywhere else.

const form = document.getElementById("search-form");
const words = form.elements.q;
const seriesChoice = form.elements.series;
const tagChoice = form.elements.tag;
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const base = new URL(form.dataset.base, location.href);
const SHOWN_AT_ONCE = 20;
const WAIT_WHILE_TYPING_MS = 250;

let pagefind = null;
let asked = 0; // the latest search: an older one that answers late is dropped
let waiting = null;
let moreButton = null;

function choose(select, value) {
  if (value && [...select.options].some((option) => option.value === value)) {
    select.value = value;
  }
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  words.value = params.get("q") || "";
  choose(seriesChoice, params.get("series"));
  choose(tagChoice, params.get("tag"));
}

function writeAddress() {
  const params = new URLSearchParams();
  if (words.value.trim()) params.set("q", words.value.trim());
  if (seriesChoice.value) params.set("series", seriesChoice.value);
  if (tagChoice.value) params.set("tag", tagChoice.value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function chosenName(select) {
  return select.value ? select.options[select.selectedIndex].text : "";
}

// Pagefind's excerpt is text with <mark> around the words found: keep the marks, as text.
function excerptOf(html) {
  const paragraph = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html || "", "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "card";
  const meta = data.meta || {};
  if (meta.series) {
    const badge = document.createElement("p");
    badge.className = "series-badge";
    const series = document.createElement("a");
    series.href = meta.series_url || "";
    series.textContent = meta.series;
    const part = document.createElement("span");
    part.textContent = meta.part || "";
    badge.append(series, " ", part);
    item.append(badge);
  }
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = new URL((data.raw_url || data.url).replace(/^\//, ""), base).href;
  link.textContent = meta.title || link.href;
  heading.append(link);
  item.append(heading, excerptOf(data.excerpt));
  return item;
}

async function showFrom(results, start, current) {
  const page = await Promise.all(results.slice(start, start + SHOWN_AT_ONCE).map((result) => result.data()));
  if (current !== asked) return;
  const items = page.map(resultItem);
  list.append(...items);
  moreButton?.remove();
  moreButton = null;
  const left = results.length - start - page.length;
  if (left > 0) {
    moreButton = document.createElement("button");
    moreButton.type = "button";
    moreButton.textContent = `Show ${Math.min(left, SHOWN_AT_ONCE)} more`;
    moreButton.addEventListener("click", async () => {
      await showFrom(results, start + SHOWN_AT_ONCE, current);
      items.at(-1)?.nextElementSibling?.querySelector("a")?.focus();
    });
    list.after(moreButton);
  }
}

function describe(count) {
  const found = count === 1 ? "1 post found" : `${count === 0 ? "No" : count} post${count === 1 ? "" : "s"} found`;
  const where = [chosenName(seriesChoice), chosenName(tagChoice) && `tag ${chosenName(tagChoice)}`].filter(Boolean);
  const term = words.value.trim();
  return `${found}${term ? ` for “${term}”` : ""}${where.length ? ` in ${where.join(", ")}` : ""}.`;
}

async function search() {
  const current = ++asked;
  writeAddress();
  const term = words.value.trim();
  const filters = {};
  if (seriesChoice.value) filters.series = seriesChoice.value;
  if (tagChoice.value) filters.tag = tagChoice.value;
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    moreButton?.remove();
    status.textContent = "Type a word, or choose a series or a tag.";
    return;
  }
  try {
    const found = await pagefind.search(term || null, { filters });
    if (current !== asked) return;
    list.replaceChildren();
    await showFrom(found.results, 0, current);
    if (current === asked) status.textContent = describe(found.results.length);
  } catch (error) {
    status.textContent = "The search failed; browse by series or tag below.";
    throw error;
  }
}

function searchSoon() {
  clearTimeout(waiting);
  waiting = setTimeout(search, WAIT_WHILE_TYPING_MS);
}

async function start() {
  readAddress();
  form.hidden = false;
  try {
    pagefind = await import(new URL("pagefind.js", new URL(form.dataset.bundle, location.href)).href);
    await pagefind.options({ baseUrl: base.pathname });
  } catch {
    status.textContent = "The search index could not be loaded; browse by series or tag below.";
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(waiting);
    search();
  });
  words.addEventListener("input", searchSoon);
  seriesChoice.addEventListener("change", search);
  tagChoice.addEventListener("change", search);
  await search();
}

start();
