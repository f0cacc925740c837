// The studio's only script (no inline script: the CSP forbids it). Everything here is an
// enhancement: every page works with plain forms and buttons without it.
(function () {
  "use strict";

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // Forms that ask before they act (delete, roll back).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // Playlist: drag a row to a new place; the new order is saved at once.
  function enableDrag(table) {
    var url = table.getAttribute("data-order-url");
    var body = table.tBodies[0];
    var dragged = null;
    body.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr");
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    body.addEventListener("dragover", function (event) {
      event.preventDefault();
      var over = event.target.closest("tr");
      if (!over || over === dragged) { return; }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? over.nextSibling : over);
    });
    body.addEventListener("dragend", function () {
      dragged.classList.remove("dragging");
      var data = new FormData();
      Array.prototype.forEach.call(body.rows, function (row) {
        data.append("key", row.getAttribute("data-key"));
      });
      fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": csrfToken() },
                   credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table[data-order-url]");
    if (table) { enableDrag(table); }
  });
})();
