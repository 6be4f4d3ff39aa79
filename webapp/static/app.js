/* policykb: copy buttons and the trainer handout. No inline script anywhere:
   the Content-Security-Policy allows only this file. Everything here is an
   enhancement; the pages work without it. */
(function () {
  "use strict";

  var KEY = "policykb.handout";
  var PREVIOUS = "policykb.handout.previous";
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX_ITEMS = 50;
  var root = document.documentElement;
  var body = document.body;
  root.classList.remove("no-js");
  root.classList.add("js");

  function msg(name) { return body.getAttribute("data-msg-" + name) || ""; }

  function announce(text) {
    var live = document.querySelector("[data-live]");
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 50); }
  }

  // ----- Handout list in localStorage --------------------------------------
  function clean(list) {
    var seen = {}, out = [];
    (Array.isArray(list) ? list : []).forEach(function (id) {
      if (typeof id === "string" && ID.test(id) && !seen[id] && out.length < MAX_ITEMS) { seen[id] = true; out.push(id); }
    });
    return out;
  }
  function parseList(text) { return clean(String(text || "").split(",").map(function (s) { return s.trim(); })); }
  function read(key) {
    try { return clean(JSON.parse(window.localStorage.getItem(key) || "[]")); } catch (e) { return []; }
  }
  function write(key, list) {
    try { window.localStorage.setItem(key, JSON.stringify(clean(list))); } catch (e) { /* private mode: the URL still works */ }
  }
  function handoutUrl(list) {
    return "/handout" + (list.length ? "?items=" + list.map(function (id) {
      return encodeURIComponent(id).replace(/%2F/g, "/");
    }).join(",") : "");
  }
  function same(a, b) { return a.length === b.length && a.every(function (x, i) { return x === b[i]; }); }

  function render() {
    var list = read(KEY);
    document.querySelectorAll("[data-handout-count]").forEach(function (el) {
      el.textContent = String(list.length);
      el.hidden = list.length === 0;
    });
    document.querySelectorAll("[data-handout-link]").forEach(function (el) {
      el.setAttribute("href", handoutUrl(list));
    });
    document.querySelectorAll("[data-handout-add]").forEach(function (el) {
      var on = list.indexOf(el.getAttribute("data-handout-add")) !== -1;
      el.setAttribute("aria-pressed", on ? "true" : "false");
      el.textContent = on ? msg("added") : msg("add");
    });
  }

  function toggle(id) {
    var list = read(KEY);
    var i = list.indexOf(id);
    if (i === -1) { list.push(id); } else { list.splice(i, 1); }
    write(KEY, list);
    render();
    announce(i === -1 ? msg("added") : msg("add"));
  }

  // ----- Copy to clipboard ---------------------------------------------------
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function copy(button) {
    var text = button.getAttribute("data-copy") || "";
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    function done(ok) {
      button.textContent = ok ? msg("copied") : msg("copy-failed");
      button.classList.toggle("copied", ok);
      announce(ok ? msg("copied") + ": " + text : msg("copy-failed"));
      window.setTimeout(function () { button.textContent = label; button.classList.remove("copied"); }, 2500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  // ----- The handout page ----------------------------------------------------
  function handoutPage() {
    var page = document.querySelector("[data-handout-page]");
    if (!page) { return; }
    var shown = parseList(page.getAttribute("data-items"));
    var hasParam = page.getAttribute("data-has-items") === "yes";
    var stored = read(KEY);
    if (!hasParam) {
      // /handout with no list: open the one this browser keeps.
      if (stored.length) { window.location.replace(handoutUrl(stored)); }
      return;
    }
    if (!same(shown, stored)) {
      if (stored.length && shown.length) {
        write(PREVIOUS, stored);
        var note = document.querySelector("[data-handout-replaced]");
        if (note) { note.hidden = false; }
      }
      write(KEY, shown);
      render();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target || !target.closest) { return; }
    var add = target.closest("[data-handout-add]");
    if (add) { event.preventDefault(); toggle(add.getAttribute("data-handout-add")); return; }
    var copyButton = target.closest("[data-copy]");
    if (copyButton) { event.preventDefault(); copy(copyButton); return; }
    var set = target.closest("[data-handout-set]");
    if (set) { write(KEY, parseList(set.getAttribute("data-handout-set"))); return; /* the link then loads */ }
    var restore = target.closest("[data-handout-restore]");
    if (restore) {
      event.preventDefault();
      var previous = read(PREVIOUS);
      write(KEY, previous);
      window.location.assign(handoutUrl(previous) + (previous.length ? "" : "?items="));
      return;
    }
    if (target.closest("[data-print]")) { event.preventDefault(); window.print(); }
  });

  render();
  handoutPage();
}());
