// /cari/: search the Pagefind index `digest build` makes, and show each result as the site's own
// lists do (title, date, province, stage, then the matching words). The address holds the search
// (?q=kata&provinsi=...), so a search can be linked, shared and reloaded.
"use strict";

window.addEventListener("DOMContentLoaded", async function () {
  var PAGE = 10;  // results shown at once; "Tampilkan lebih banyak" adds as many again
  var form = document.querySelector("form.search");
  var input = form.elements.q;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector("button.more");
  var found = [];  // the current search's results, not yet loaded
  var shown = 0;
  var latest = 0;  // a newer search makes the answers of older ones stale
  var pagefind;
  var shards;

  var filters = form.querySelector("details.filters");
  var params = new URLSearchParams(location.search);
  status.textContent = "Memuat pencarian…";  // a slow phone takes seconds: the box takes words meanwhile
  filters.hidden = false;
  var typing;
  var loaded = false;
  form.addEventListener("submit", function (event) {  // Enter before the index is in: searched once it is
    event.preventDefault();
    if (loaded) { clearTimeout(typing); run(); }
  });
  try {  // the index comes in shards (digest/output/search.py): the first answers, merging the others
    shards = await (await fetch(form.dataset.index)).json();
    var folder = new URL(form.dataset.index, location.href);
    var options = { baseUrl: form.dataset.base };
    pagefind = await import(new URL(shards[0] + "pagefind.js", folder).href);
    await pagefind.options(options);
    await Promise.all(shards.slice(1).map(function (s) { return pagefind.mergeIndex(new URL(s, folder).href, options); }));
  } catch (e) {
    status.textContent = "Pencarian tidak dapat dimuat. Muat ulang halaman ini.";
    return;
  }

  function element(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  var decoder = document.createElement("textarea");  // its content is text: entities decoded, no tags made
  function plain(html) {  // Pagefind's excerpt escapes the page text; read it back as text
    decoder.innerHTML = html;
    return decoder.value;
  }

  function excerpt(html) {  // the matched words in <mark>, everything else as text
    var p = element("p");
    html.split(/<\/?mark>/).forEach(function (part, i) {
      p.appendChild(i % 2 ? element("mark", plain(part)) : document.createTextNode(plain(part)));
    });
    return p;
  }

  function item(data) {  // the date and links ride as filters: Pagefind makes meta values searchable
    var facts = {};
    Object.keys(data.filters).forEach(function (k) { facts[k] = data.filters[k][0]; });
    var li = element("li");
    var article = li.appendChild(element("article"));
    article.appendChild(element("h2")).appendChild(element("a", data.meta.title, { href: data.url }));
    var line = article.appendChild(element("p", "", { class: "meta" }));
    line.appendChild(element("time", facts.tanggal, { datetime: facts.tanggal_iso }));
    line.appendChild(document.createTextNode(" · "));
    line.appendChild(element("a", facts.Provinsi, { href: facts.provinsi_url }));
    line.appendChild(document.createTextNode(" · "));
    line.appendChild(element("a", facts.Tahapan, { href: facts.tahapan_url }));
    article.appendChild(excerpt(data.excerpt));
    return li;
  }

  async function showMore(search) {
    var next = found.slice(shown, shown + PAGE);
    var data = await Promise.all(next.map(function (r) { return r.data(); }));
    if (search !== latest) { return; }
    data.forEach(function (d) { list.appendChild(item(d)); });
    shown += next.length;
    more.hidden = shown >= found.length;
  }

  function chosen() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) { filters[s.dataset.filter] = s.value; } });
    return filters;
  }

  function remember() {  // the search in the address bar, for links and reloads
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    selects.forEach(function (s) { if (s.value) { params.set(s.name, s.value); } });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // A shard that lacks a word matches a shorter form of it ("Syam" for "Syamsuddin"), where one
  // index would not, as other shards hold the word: keep only the pages that hold each word some
  // shard has (a quoted word matches that word alone, in any form the stemmer gives it).
  async function holding(words, filters) {
    if (shards.length < 2 || !words || words.indexOf('"') >= 0) { return null; }
    var held = null;
    for (var word of words.split(/\s+/)) {
      var hits = (await pagefind.search('"' + word + '"', { filters: filters })).results;
      if (hits.length) {
        var ids = new Set(hits.map(function (r) { return r.id; }));
        held = held ? new Set(Array.from(held).filter(function (id) { return ids.has(id); })) : ids;
      }
    }
    return held;
  }

  async function run() {
    var search = ++latest;
    var words = input.value.trim();
    var filters = chosen();
    remember();
    if (!words && !Object.keys(filters).length) {
      list.replaceChildren(); found = []; shown = 0; more.hidden = true; status.textContent = "";
      return;
    }
    var answer = await pagefind.search(words || null, { filters: filters });
    var held = await holding(words, filters);
    if (search !== latest) { return; }
    found = held ? answer.results.filter(function (r) { return held.has(r.id); }) : answer.results;
    shown = 0;
    list.replaceChildren();
    await showMore(search);
    if (search !== latest) { return; }
    var count = found.length.toLocaleString("id-ID");  // said once the first results show
    status.textContent = !found.length ? "Tidak ada berita yang cocok."
      : words ? count + " berita memuat “" + words + "”" : count + " berita";
  }

  // Each filter's values, with how many articles carry each: loading them fetches every shard's
  // filter files, so only when the reader opens the filters or the address names one.
  var filled;
  function fillFilters() {
    filled = filled || pagefind.filters().then(function (counts) {
      selects.forEach(function (s) {
        var values = counts[s.dataset.filter] || {};
        Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "id"); }).forEach(function (v) {
          s.appendChild(element("option", v + " (" + values[v].toLocaleString("id-ID") + ")", { value: v }));
        });
        s.value = params.get(s.name) || "";
        if (s.value) { filters.open = true; }
      });
    });
    return filled;
  }

  input.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(run, 250); });
  selects.forEach(function (s) { s.addEventListener("change", run); });
  more.addEventListener("click", function () { showMore(latest); });

  filters.addEventListener("toggle", function () { if (filters.open) { fillFilters(); } });

  input.value = params.get("q") || input.value;  // what the reader typed while the index loaded stays
  if (filters.open || selects.some(function (s) { return params.get(s.name); })) { await fillFilters(); }
  status.textContent = "";
  loaded = true;
  run();
});
