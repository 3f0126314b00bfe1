// newsgen search page. The index comes in parts (a year, or a span of months, each under
// /pagefind/PART/). Every part is asked with Pagefind's own search API and the answers are
// merged here to find the articles one index of everything would find:
// - newest first: the parts never overlap in time and come newest first, so their answers,
//   each in date order, are concatenated;
// - best match first: Pagefind scores a page by BM25, the sum of its words' scores, each
//   weighed by the word's IDF over the part's own pages; each word's share is re-weighed by
//   its IDF over the whole archive (pages and pages with the word, summed over the parts),
//   then all are sorted by it;
// - a part that lacks a word answers with the longest start of it that it has ("hack" for
//   "hackfest"), or as if the word had not been asked for; such a part is left out when
//   another part has the word or longer words that begin with it (see merge).
// The query and its options live in the URL (?q=&sort=&topic=&author=&year=), so a search
// is a link. Everything Pagefind stored reaches the page as text, never as HTML.
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
  var selects = Array.prototype.slice.call(holder.querySelectorAll("select[data-filter]"));
  var bundle = holder.getAttribute("data-bundle");
  var base = holder.getAttribute("data-base");
  var parts = (holder.getAttribute("data-parts") || "")
    .split(" ")
    .filter(Boolean)
    .map(function (entry) {
      var at = entry.lastIndexOf(":");
      return { name: entry.slice(0, at), pages: +entry.slice(at + 1) || 0, pagefind: null };
    });
  var lang = usable(document.documentElement.lang || "en");
  // A code the browser does not take as written (en_US) is read with '-', else as English.
  function usable(code) {
    var tries = [code, code.replace(/_/g, "-"), "en"];
    for (var i = 0; i < tries.length; i++) {
      try {
        Intl.getCanonicalLocales(tries[i]);
        return tries[i];
      } catch (error) {
        continue;
      }
    }
    return "en";
  }
  // The page's words (templates/search.html): {name} stands for a value; a word with plural
  // forms is chosen by its count as the page's language counts.
  var words = {};
  try {
    words = JSON.parse(document.getElementById("search-words").textContent) || {};
  } catch (error) {
    words = {};
  }
  function category(language, count) {
    return window.Intl && Intl.PluralRules
      ? new Intl.PluralRules(usable(language)).select(count)
      : count === 1 ? "one" : "other";
  }
  function number(value) {
    return value.toLocaleString(lang);
  }
  function say(name, fallback, values) {
    var form = words[name] || fallback;
    values = values || {};
    if (typeof form === "object") {
      // The forms' own language chooses among them (English words when the page's
      // language has none of its own).
      var count = values.count;
      var chosen = typeof count === "number" ? category(form.lang || lang, count) : "other";
      form = form[chosen] || form.other || fallback;
    }
    return String(form).replace(/\{(\w+)\}/g, function (whole, key) {
      if (!(key in values)) return whole;
      var value = values[key];
      return typeof value === "number" ? number(value) : String(value);
    });
  }
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var sort = params.get("sort") === "date" ? "date" : "relevance";
  var PAGE = 10;
  var EXCERPT = 30;
  var CHARACTERS = 240;
  var results = [];
  var shown = 0;

  form.hidden = false;
  input.value = query;
  order.value = sort;
  var folded = holder.querySelector("details");
  if (folded && (params.get("sort") || selects.some(function (select) {
    return params.get(select.getAttribute("data-filter"));
  }))) {
    folded.open = true; // the address chose an order or a filter: show which
  }

  // Filter values are stored HTML-escaped (renderer.pagefind_value): decoded once, without
  // being parsed as HTML. The page and its URL use the names as written.
  var decoder = document.createElement("textarea");
  function text(html) {
    decoder.innerHTML = html;
    return decoder.value;
  }
  var stored = {}; // filter -> name as written -> value as Pagefind stored it
  var ignored = []; // filters in the address that no part has
  var failed = [];
  var lost = 0;

  function settle(promise) {
    return Promise.resolve(promise).then(
      function (value) {
        return { ok: true, value: value };
      },
      function () {
        return { ok: false };
      }
    );
  }

  function load() {
    return Promise.all(
      parts.map(function (part) {
        return settle(
          import(bundle + part.name + "/pagefind.js").then(function (pagefind) {
            return Promise.resolve(pagefind.options({ baseUrl: base })).then(function () {
              return pagefind.filters(); // reads the part's index: a broken part fails here
            }).then(function (filters) {
              part.pagefind = pagefind;
              part.filters = filters || {};
            });
          })
        );
      })
    );
  }

  function fillFilters() {
    selects.forEach(function (select) {
      var name = select.getAttribute("data-filter");
      var counts = {};
      stored[name] = {};
      parts.forEach(function (part) {
        var values = (part.filters && part.filters[name]) || {};
        Object.keys(values).forEach(function (value) {
          var written = text(value);
          stored[name][written] = value;
          counts[written] = (counts[written] || 0) + values[value];
        });
      });
      var names = Object.keys(counts);
      names.sort(function (a, b) {
        return name === "year" ? b.localeCompare(a) : a.localeCompare(b, lang);
      });
      names.forEach(function (written) {
        var option = document.createElement("option");
        option.value = written;
        option.textContent = written + " (" + number(counts[written]) + ")";
        select.appendChild(option);
      });
      var wanted = params.get(name) || "";
      select.value = counts[wanted] ? wanted : ""; // an unknown name is not applied
      if (wanted && !counts[wanted]) ignored.push(select.labels[0].textContent.toLowerCase() + " “" + wanted + "”");
    });
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) {
      var name = select.getAttribute("data-filter");
      if (select.value) filters[name] = stored[name][select.value];
    });
    return filters;
  }

  // A word as Pagefind compares it: lower case, accents of Latin letters off (café, cafe),
  // other marks kept (the vowel signs of Devanagari or Thai are letters' parts).
  function normal(word) {
    return word
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .normalize("NFC")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]/gu, "");
  }

  // The words of a result's text as Pagefind counted them when it gave their locations
  // (between zero-width spaces where it segmented the text, else between spaces).
  function wordsOf(data) {
    var raw = data.raw_content || "";
    var plain = data.content || "";
    var withBreaks = "";
    var j = 0;
    // raw_content is the text with its breaks, "<" and ">" escaped: undo exactly that.
    for (var i = 0; i < raw.length; ) {
      if (raw[i] === "\u200B") {
        withBreaks += raw[i++];
      } else if (raw.startsWith("&lt;", i) && plain[j] === "<") {
        withBreaks += plain[j++];
        i += 4;
      } else if (raw.startsWith("&gt;", i) && plain[j] === ">") {
        withBreaks += plain[j++];
        i += 4;
      } else {
        withBreaks += plain[j++] || "";
        i++;
      }
    }
    var segmented = withBreaks.indexOf("\u200B") >= 0;
    return {
      words: segmented ? withBreaks.split("\u200B") : withBreaks.split(/[\r\n\s]+/g),
      joiner: segmented ? "" : " ",
    };
  }

  // How a part's best answer for one word of the query matched it: `real` when the part has
  // the word itself (a quoted search counts it) or longer words that begin with it
  // ("councillors" for "council"); `shared`, how many letters its closest word has in
  // common with it ("cod" for "coda": 3).
  function reach(answer, typed) {
    if (answer.exact > 0) return { real: true, shared: typed.length };
    var data = answer.top;
    if (!data || !typed) return { real: false, shared: 0 };
    var words = wordsOf(data).words;
    // The word as typed, or without an English ending a stemmer takes off ("mirrors":
    // "mirror", whose longer words one index finds too).
    var bare = typed.replace(/(ing|ed|es|s)$/, "");
    var stem = bare.length >= 3 ? bare : typed;
    var found = { real: false, shared: 0 };
    answer.at.forEach(function (at) {
      var word = normal(words[at] || "");
      if (word.length >= typed.length && word.indexOf(stem) === 0) found.real = true;
      var shared = 0;
      while (shared < word.length && word[shared] === typed[shared]) shared++;
      found.shared = Math.max(found.shared, shared);
    });
    return found;
  }

  function idf(pages, having) {
    return Math.log((pages - having + 0.5) / (having + 0.5) + 1);
  }

  // How many words at the start of a result's text are its headline (the page's h1 is
  // indexed, so a headline word finds the page): the excerpt starts after them, where the
  // headline, shown above it, would only be repeated.
  function headlineWords(data, words) {
    var title = normal((data.meta && data.meta.title) || "");
    if (!title) return 0;
    var seen = "";
    for (var n = 0; n < words.length && seen.length < title.length; n++) {
      seen += normal(words[n]);
      if (title.indexOf(seen) !== 0) return 0;
    }
    if (seen !== title) return 0;
    // Marks that end the headline as words of their own (French sets "?" after a space)
    // are its words too; a mark that opens the text after it is not.
    var bare = data.meta.title.replace(/\s+/g, "");
    var said = words.slice(0, n).join("").replace(/\s+/g, "");
    while (n < words.length && !normal(words[n])) {
      said += words[n].replace(/\s+/g, "");
      if (bare.indexOf(said) !== 0) break;
      n++;
    }
    return n;
  }

  function excerpt(data) {
    var found = wordsOf(data);
    var words = found.words.map(function (word) {
      return word.replace(/\u200B/g, "");
    });
    var skip = headlineWords(data, words);
    if (skip >= words.length) skip = 0; // nothing but the headline: show it rather than nothing
    words = words.slice(skip);
    var weight = [];
    (data.weighted_locations || []).forEach(function (at) {
      if (at.location < skip) return;
      weight[at.location - skip] = (weight[at.location - skip] || 0) + at.balanced_score;
    });
    // The densest window of matched words, as Pagefind picks it.
    var start = 0;
    if (words.length > EXCERPT) {
      var sum = 0;
      for (var k = 0; k < EXCERPT; k++) sum += weight[k] || 0;
      var best = sum;
      var ties = [0];
      for (var s = 1; s + EXCERPT <= words.length; s++) {
        sum += (weight[s + EXCERPT - 1] || 0) - (weight[s - 1] || 0);
        if (sum > best) {
          best = sum;
          ties = [s];
        } else if (sum === best && ties[ties.length - 1] === s - 1) {
          ties.push(s);
        }
      }
      start = ties[Math.floor(ties.length / 2)]; // the middle of the densest run
    }
    // At most EXCERPT words and CHARACTERS characters, whole words only (a "word" of
    // unspaced text, Japanese or Chinese, may be a paragraph: it is cut), and the first
    // match always in: the window moves to it when long words before it use the room up.
    var first = -1;
    for (var m = start; m < Math.min(words.length, start + EXCERPT); m++) {
      if (weight[m]) {
        first = m;
        break;
      }
    }
    var used = 0;
    for (var u = start; first >= 0 && u <= first; u++) used += words[u].length + 1;
    if (used > CHARACTERS) start = Math.max(0, first - 2);
    var shown = [];
    var room = CHARACTERS;
    var i = start;
    var cut = false;
    while (i < words.length && shown.length < EXCERPT) {
      var word = words[i];
      if (word.length > room) {
        if (shown.length) break; // the next word does not fit: stop before it
        word = word.slice(0, room); // one word longer than the room: cut it
        cut = true;
      }
      shown.push({ word: word, marked: !!weight[i] });
      room -= word.length + found.joiner.length;
      i += 1;
      if (cut) break;
    }
    var p = document.createElement("p");
    p.className = "summary";
    var plain = start > 0 ? "…" + found.joiner : "";
    shown.forEach(function (piece, n) {
      var gap = n === shown.length - 1 ? "" : found.joiner;
      if (piece.marked) {
        if (plain) p.appendChild(document.createTextNode(plain));
        var mark = document.createElement("mark");
        mark.textContent = piece.word;
        p.appendChild(mark);
        plain = gap;
      } else {
        plain += piece.word + gap;
      }
    });
    if (cut || i < words.length) plain += found.joiner + "…";
    if (plain) p.appendChild(document.createTextNode(plain));
    return p;
  }

  function when(iso) {
    var m = /^(\d{4})-(\d\d)-(\d\d)/.exec(iso || "");
    if (!m) return "";
    var day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return day.toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  }

  function item(data) {
    var li = document.createElement("li");
    var section = data.meta && data.meta.section;
    if (section) {
      var kicker = document.createElement("p");
      kicker.className = "kicker";
      var place = document.createElement(data.meta.section_url ? "a" : "span");
      if (data.meta.section_url) place.href = data.meta.section_url;
      place.textContent = section; // stored as text
      kicker.appendChild(place);
      li.appendChild(kicker);
    }
    var h2 = document.createElement("h2");
    h2.className = "headline";
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url; // stored as text
    h2.appendChild(a);
    li.appendChild(h2);
    var about = [];
    var date = (data.meta && data.meta.when) || when(data.meta && data.meta.date);
    if (date) about.push(date);
    var authors = ((data.filters && data.filters.author) || []).map(text);
    if (authors.length) {
      about.push(say("by", "By {authors}", { authors: authors.join(say("comma", ", ")) }));
    }
    if (about.length) {
      var byline = document.createElement("p");
      byline.className = "byline";
      byline.textContent = about.join("\u00a0· "); // the "·" stays at the end of its line
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
        // A copy at once: Pagefind shares one object per page, and another search's data()
        // would set its own locations on it.
        return settle(
          result.data().then(function (data) {
            return Object.assign({}, data, {
              weighted_locations: (data.weighted_locations || []).slice(),
            });
          })
        );
      })
    ).then(function (found) {
      var added = 0;
      found.forEach(function (data) {
        if (data.ok) {
          list.appendChild(item(data.value));
          added += 1;
        } else {
          lost += 1; // its part of the index is damaged: the others are shown
        }
      });
      report();
      more.hidden = shown >= results.length;
      return added;
    });
  }

  // For each part and each word of the query: how many of its pages have the word, how
  // many have it exactly (a quoted search: Pagefind then neither extends nor shortens it),
  // each page's score for the word alone, and the best answer's text.
  function perTerm(live, terms) {
    return Promise.all(
      live.map(function (part) {
        return settle(
          Promise.all(
            terms.map(function (term) {
              return Promise.all([
                part.pagefind.search(term),
                part.pagefind.search('"' + term.replace(/"/g, "") + '"'),
              ]).then(function (found) {
                var top = found[0].results[0];
                var scores = {};
                found[0].results.forEach(function (result) {
                  scores[result.id] = result.score;
                });
                return Promise.resolve(top ? top.data() : null).then(function (data) {
                  return {
                    having: found[0].unfilteredResultCount || 0,
                    exact: found[1].unfilteredResultCount || 0,
                    top: data,
                    // The matched words' places, from the result itself: Pagefind shares one
                    // object per page among searches, and the last one sets its locations.
                    at: top ? top.words.slice() : [],
                    scores: scores,
                  };
                });
              });
            })
          )
        ).then(function (answer) {
          return answer.ok ? answer.value : null; // unknown: the part is taken as it answers
        });
      })
    );
  }

  function merge(live, answers, terms, words) {
    var dropped = live.map(function () {
      return false;
    });
    var having = terms.map(function () {
      return 0;
    });
    terms.forEach(function (term, t) {
      // One index looks for the word and the longer words that begin with it, in every part;
      // only when there are none anywhere does it take the longest start of the word that
      // it has. A part without the word answers with its own longest start ("hack" for
      // "hackfest"), or as if the word had not been asked for: such a part is left out
      // when another part has the word, or a closer start of it.
      var typed = normal(term);
      var reached = words.map(function (byTerm) {
        return byTerm && byTerm[t].having > 0 ? reach(byTerm[t], typed) : null;
      });
      // A word no part knows at all is left out of the query, as one index leaves it out.
      if (!reached.some(Boolean)) return;
      var anyReal = reached.some(function (r) {
        return r && r.real;
      });
      var closest = 0;
      reached.forEach(function (r) {
        if (r) closest = Math.max(closest, r.shared);
      });
      words.forEach(function (byTerm, p) {
        if (!byTerm) return;
        var r = reached[p];
        var keep = r && (anyReal ? r.real : r.shared === closest);
        if (keep) having[t] += byTerm[t].having;
        else dropped[p] = true;
      });
    });
    var pages = live.reduce(function (sum, part) {
      return sum + part.pages;
    }, 0);
    var merged = [];
    live.forEach(function (part, p) {
      if (dropped[p] || !answers[p]) return;
      // A page's score is the sum of its words' scores, each weighed by the word's IDF in
      // the part: each is re-weighed by the word's IDF in the whole archive. A word no part
      // has is ignored, as Pagefind ignores it.
      var ratios = terms.map(function (term, t) {
        if (!words[p] || !having[t]) return null;
        var own = idf(part.pages, words[p][t].having);
        return own > 0 ? idf(pages, having[t]) / own : null;
      });
      answers[p].results.forEach(function (result) {
        var score = 0;
        var known = false;
        ratios.forEach(function (ratio, t) {
          var alone = ratio === null ? undefined : words[p][t].scores[result.id];
          if (alone !== undefined) {
            score += alone * ratio;
            known = true;
          }
        });
        merged.push({ result: result, score: known ? score : result.score });
      });
    });
    if (sort !== "date" && terms.length) {
      merged.sort(function (a, b) {
        return b.score - a.score; // stable: ties keep the newer part first
      });
    }
    return merged.map(function (entry) {
      return entry.result;
    });
  }

  function search() {
    var filters = chosenFilters();
    if (!query && !Object.keys(filters).length) {
      if (ignored.length) {
        results = [];
        failed = [];
        report();
      }
      return Promise.resolve();
    }
    var live = parts.filter(function (part) {
      return part.pagefind;
    });
    var options = { filters: filters };
    // Without words there is no best match: newest first.
    if (sort === "date" || !query) options.sort = { date: "desc" };
    var terms = query ? query.split(/\s+/).filter(function (term) { return normal(term); }) : [];
    terms = terms.filter(function (term, i) {
      return terms.indexOf(term) === i;
    });
    status.textContent = say("searching", "Searching…");
    return Promise.all(
      live.map(function (part) {
        return settle(part.pagefind.search(query || null, options));
      })
    ).then(function (settled) {
      var answers = settled.map(function (s) {
        return s.ok ? s.value : null;
      });
      return perTerm(live, terms).then(function (words) {
        results = merge(live, answers, terms, words);
        failed = parts.filter(function (part) {
          return !part.pagefind || !answers[live.indexOf(part)];
        });
        list.textContent = "";
        shown = 0;
        lost = 0;
        return showMore();
      });
    });
  }

  function report() {
    var n = results.length - lost;
    var comma = say("comma", ", ");
    var values = { count: n, query: query };
    var message = n === 0
      ? say(query ? "none_for" : "none", "No articles found.", values)
      : say(query ? "found_for" : "found", "{count} articles found.", values);
    if (!query && !Object.keys(chosenFilters()).length) {
      message = ""; // nothing was searched: only what was not applied is said
    } else if (failed.length === parts.length) {
      message = say("unavailable", "Search is not available right now.");
    } else if (failed.length) {
      var names = failed.map(function (part) { return part.name; }).join(comma);
      message += " " + say("partly", "Part of the archive could not be searched ({parts}).",
        { parts: names });
    }
    if (lost) message += " " + say("lost", "{count} results could not be shown.", { count: lost });
    if (ignored.length) {
      message += " " + say("ignored", "Not in the archive, so not applied: {names}.",
        { names: ignored.join(comma) });
    }
    status.textContent = message.trim();
  }

  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
      else status.focus(); // nothing new could be shown: the message says why
    });
  });

  if (!parts.length) return;
  load()
    .then(function () {
      fillFilters();
      return search();
    })
    .catch(function (error) {
      status.textContent = say("unavailable", "Search is not available right now.");
      if (window.console) console.error(error);
    });
})();
