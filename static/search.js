// newsgen search page. The index comes in parts (a year or a month each, under
// /pagefind/PART/): every part is queried with Pagefind's own search API and the results
// merged here, best match first by score, or newest first by concatenating the parts, which
// never overlap in time and come newest first. The query and its options live in the URL
// (?q=&sort=&topic=&author=&year=), so a search is a link. Everything Pagefind stored
// (titles, names, the text excerpts come from) reaches the page as text, never as HTML.
(function () {
  "use strict";
  var holder = document.getElementById("search");
  if (!holder) return;
  var form = holder.querySelector("form");
  var input = document.getElementById("search-query");
  var order = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = holder.querySelectorAll("select[data-filter]");
  var bundle = holder.getAttribute("data-bundle");
  var base = holder.getAttribute("data-base");
  var parts = (holder.getAttribute("data-parts") || "").split(" ").filter(Boolean);
  var lang = document.documentElement.lang || "en";
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var sort = params.get("sort") === "date" ? "date" : "relevance";
  var PAGE = 10;
  var results = [];
  var shown = 0;
  var loading = null;

  form.hidden = false;
  input.value = query;
  order.value = sort;

  // Filter values are stored HTML-escaped (renderer.pagefind_value): decoded once, without
  // being parsed as HTML.
  var decoder = document.createElement("textarea");
  function text(html) {
    decoder.innerHTML = html;
    return decoder.value;
  }

  function load() {
    if (!loading) {
      loading = Promise.all(
        parts.map(function (part) {
          return import(bundle + part + "/pagefind.js")
            .then(function (pagefind) {
              return Promise.resolve(pagefind.options({ baseUrl: base })).then(function () {
                return pagefind;
              });
            })
            .catch(function () {
              return null; // a part that cannot load leaves the others searchable
            });
        })
      );
    }
    return loading;
  }

  function fillFilters(indexes) {
    return Promise.all(
      indexes.map(function (pagefind) {
        return pagefind ? pagefind.filters() : {};
      })
    ).then(function (all) {
      Array.prototype.forEach.call(selects, function (select) {
        var name = select.getAttribute("data-filter");
        var wanted = params.get(name) || "";
        var values = {};
        all.forEach(function (filters) {
          Object.keys(filters[name] || {}).forEach(function (value) {
            values[value] = (values[value] || 0) + filters[name][value];
          });
        });
        var keys = Object.keys(values);
        keys.sort(function (a, b) {
          return name === "year" ? b.localeCompare(a) : text(a).localeCompare(text(b), lang);
        });
        keys.forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = text(value) + " (" + values[value] + ")";
          select.appendChild(option);
        });
        select.value = values[wanted] ? wanted : "";
      });
    });
  }

  function when(iso) {
    var m = /^(\d{4})-(\d\d)-(\d\d)/.exec(iso || "");
    if (!m) return "";
    var day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return day.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  }

  // The excerpt is made here from the indexed text and where the words matched (Pagefind's
  // own excerpt escapes "<" but not "&", so it cannot be shown exactly as written).
  var AROUND = 30;
  function excerpt(data) {
    var p = document.createElement("p");
    p.className = "summary";
    var words = (data.content || "").split(/\s+/);
    var marked = {};
    var first = words.length;
    (data.locations || []).forEach(function (at) {
      marked[at] = true;
      first = Math.min(first, at);
    });
    var start = first === words.length ? 0 : Math.max(0, first - AROUND / 2);
    start = Math.max(0, Math.min(start, words.length - AROUND));
    var shown = words.slice(start, start + AROUND);
    var plain = start > 0 ? "… " : "";
    shown.forEach(function (word, i) {
      var space = i === shown.length - 1 ? "" : " ";
      if (marked[start + i]) {
        if (plain) p.appendChild(document.createTextNode(plain));
        plain = space;
        var mark = document.createElement("mark");
        mark.textContent = word;
        p.appendChild(mark);
      } else {
        plain += word + space;
      }
    });
    if (start + AROUND < words.length) plain += " …";
    if (plain) p.appendChild(document.createTextNode(plain));
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    var h2 = document.createElement("h2");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url; // stored as text
    h2.appendChild(a);
    li.appendChild(h2);
    var about = [];
    var date = when(data.meta && data.meta.date);
    if (date) about.push(date);
    var authors = ((data.filters && data.filters.author) || []).map(text);
    if (authors.length) about.push("By " + authors.join(", "));
    if (about.length) {
      var byline = document.createElement("p");
      byline.className = "byline";
      byline.textContent = about.join(" · ");
      li.appendChild(byline);
    }
    li.appendChild(excerpt(data));
    return li;
  }

  function showMore() {
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(
      next.map(function (result) {
        return result.data();
      })
    ).then(function (found) {
      found.forEach(function (data) {
        list.appendChild(item(data));
      });
      more.hidden = shown >= results.length;
    });
  }

  // A part that lacks a word of the query answers with the longest start of it that it
  // has ("boat" for "boathouse"), where one index of everything would have found only the
  // articles with the word. Such a part is left out when another part has the word itself:
  // its best article's matched words are all (give or take an ending) a shorter start of a
  // query word, and none of them
  // scored as an exact match does (Pagefind scores a location by its weight squared, times
  // how closely the word matched).
  function normal(word) {
    return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  }
  function withoutStandIns(searches) {
    var terms = query.split(/\s+/).map(normal).filter(Boolean);
    return Promise.all(
      searches.map(function (found) {
        return found && found.results.length ? found.results[0].data() : null;
      })
    ).then(function (tops) {
      var best = tops.map(function (data) {
        var most = 0;
        ((data && data.weighted_locations) || []).forEach(function (at) {
          most = Math.max(most, at.balanced_score / (at.weight * at.weight || 1));
        });
        return most;
      });
      var exact = Math.max.apply(null, best.concat([0]));
      var standIn = tops.map(function (data, i) {
        if (!data || best[i] >= exact * 0.999) return false;
        var words = data.content.split(/\s+/);
        return (data.weighted_locations || []).every(function (at) {
          var word = normal(words[at.location] || "");
          return terms.some(function (term) {
            var shared = 0;
            while (shared < word.length && word[shared] === term[shared]) shared++;
            // "boats" for "boathouse": a shorter start of the word, give or take an ending.
            return shared >= 3 && term.length - shared >= 3 && word.length - shared <= 2;
          });
        });
      });
      if (standIn.every(function (is, i) { return is || !tops[i]; })) return searches;
      return searches.map(function (found, i) {
        return standIn[i] ? null : found;
      });
    });
  }

  function search(indexes) {
    if (!query) return;
    var filters = {};
    Array.prototype.forEach.call(selects, function (select) {
      var value = params.get(select.getAttribute("data-filter"));
      if (value) filters[select.getAttribute("data-filter")] = value;
    });
    var options = { filters: filters };
    if (sort === "date") options.sort = { date: "desc" };
    status.textContent = "Searching…";
    return Promise.all(
      indexes.map(function (pagefind) {
        return pagefind ? pagefind.search(query, options) : null;
      })
    )
      .then(withoutStandIns)
      .then(function (searches) {
      results = [];
      searches.forEach(function (found) {
        if (found) results = results.concat(found.results);
      });
      // Parts come newest first and each is in date order already: concatenated, they are
      // in date order. Best match first is a stable sort, by score.
      if (sort !== "date") {
        results.sort(function (a, b) {
          return b.score - a.score;
        });
      }
      var n = results.length;
      status.textContent =
        n === 0 ? "No articles found for “" + query + "”." :
        n === 1 ? "1 article found for “" + query + "”." :
        n + " articles found for “" + query + "”.";
      return showMore();
    });
  }

  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  // A changed order or filter searches again at once (the URL keeps the choice).
  Array.prototype.forEach.call(holder.querySelectorAll("select"), function (select) {
    select.addEventListener("change", function () {
      if (input.value.trim()) form.submit();
    });
  });

  if (!parts.length) return;
  load().then(function (indexes) {
    return Promise.all([fillFilters(indexes), search(indexes)]);
  }).catch(function () {
    status.textContent = "Search is not available right now.";
  });
})();
