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

  // Pagefind names its box with a title only, which screen readers may skip (axe:
  // label-title-only). Name it once it exists: Pagefind builds its form when the DOM is
  // ready, which is later than now when this script runs while the page still loads.
  function labelBox() {
    var input = holder.querySelector(".pagefind-ui__search-input");
    if (input && !input.hasAttribute("aria-label")) input.setAttribute("aria-label", "Search articles");
  }
  labelBox();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", labelBox);
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
