// /cari/: start Pagefind's search UI (the index is built by `digest build`), and run the search
// named in the address (?q=kata) so that searches can be linked and shared.
window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({ element: "#cari", showSubResults: false, showImages: false, resetStyles: false });
  var input = document.querySelector("#cari input");
  if (input) { input.setAttribute("aria-label", "Cari berita"); }  // the UI's own field has no label
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { ui.triggerSearch(q); }
});
