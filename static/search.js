// newsgen search page: Pagefind's UI, started with the query from the header's search box.
(function () {
  var holder = document.getElementById("search");
  if (!holder || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: holder.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    sort: { date: "desc" },
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
