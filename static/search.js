// newsgen search page: Pagefind's UI, started with the query from the header's search box
// (?q=), in the order picked above it (?sort=date for newest first; best match otherwise).
// Pagefind fixes the order when its UI starts, so changing it reloads the page with the
// query in the URL, which also makes the choice bookmarkable.
(function () {
  var holder = document.getElementById("search");
  if (!holder || typeof PagefindUI === "undefined") return;
  var params = new URLSearchParams(window.location.search);
  var sort = params.get("sort") === "date" ? "date" : "relevance";
  var options = {
    element: "#search",
    bundlePath: holder.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: false,
    resetStyles: false,
  };
  if (sort === "date") options.sort = { date: "desc" };
  var ui = new PagefindUI(options);
  var query = params.get("q");
  if (query) ui.triggerSearch(query);

  var order = document.getElementById("search-sort");
  if (!order) return;
  order.value = sort;
  order.parentNode.hidden = false;
  order.addEventListener("change", function () {
    var input = holder.querySelector("input");
    if (input && input.value) params.set("q", input.value);
    params.set("sort", order.value);
    window.location.search = params.toString();
  });
})();
