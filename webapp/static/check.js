// The eligibility check without page loads: each step is still a POST of the form (answers in hidden
// fields, nothing stored), but the reply replaces the page in place and gets its own history entry, so the
// browser's Back button goes back a question instead of asking to resubmit a form. The pages live only in
// this script's memory: a reload starts the check again. Without JavaScript the forms work as they are.
(function () {
  "use strict";
  var pages = [];
  function current() { return document.querySelector("[data-check-page]"); }
  function show(index) {
    var page = pages[index];
    if (!page) { return false; }
    current().replaceWith(page.node.cloneNode(true));
    document.title = page.title;
    window.scrollTo(0, 0);
    return true;
  }
  function remember() {
    pages[history.state && typeof history.state.check === "number" ? history.state.check : 0] =
      {node: current().cloneNode(true), title: document.title};
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!current() || form.getAttribute("formtarget") || (submitter && (submitter.getAttribute("formaction") ||
        submitter.getAttribute("formtarget")))) { return; }  // print and download leave the page as usual
    if (form.method.toLowerCase() !== "post" || new URL(form.action).pathname !== "/check") { return; }
    event.preventDefault();
    var data = new FormData(form, submitter || undefined);
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.querySelector("[data-check-page]") || doc.querySelector(".check-error");
        if (!next) { form.submit(); return; }
        remember();
        var index = (history.state && typeof history.state.check === "number" ? history.state.check : 0) + 1;
        current().replaceWith(next);
        document.title = doc.title;
        pages[index] = {node: next.cloneNode(true), title: doc.title};
        history.pushState({check: index}, "", location.pathname);
        window.scrollTo(0, 0);
      });
  });
  window.addEventListener("popstate", function (event) {
    var index = event.state && typeof event.state.check === "number" ? event.state.check : 0;
    if (!show(index)) { location.reload(); }
  });
  if (current()) { history.replaceState({check: 0}, "", location.pathname); }
}());
