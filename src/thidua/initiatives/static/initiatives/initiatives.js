// The application form: add and remove rows of the authors / participants tables, the live
// total of the authors' shares, and the novelty panel fed as the author types. A static file:
// the CSP forbids inline code.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  function parseShare(text) {
    var value = parseFloat(String(text || "").trim().replace("%", "").replace(",", "."));
    return isNaN(value) ? 0 : value;
  }

  function formatShare(value) {
    var rounded = Math.round(value * 100) / 100;
    return String(rounded).replace(".", ",");
  }

  function updateTotal(prefix) {
    var box = document.querySelector("[data-total-for='" + prefix + "']");
    var rows = document.querySelector("[data-formset='" + prefix + "']");
    if (!box || !rows) { return; }
    var sum = 0;
    rows.querySelectorAll("[data-row]").forEach(function (row) {
      if (row.hidden) { return; }
      var input = row.querySelector("[data-share]");
      if (input) { sum += parseShare(input.value); }
    });
    var ok = Math.abs(sum - 100) < 0.005;
    box.querySelector("[data-total]").textContent = formatShare(sum);
    box.classList.toggle("sk-total-ok", ok);
    box.classList.toggle("sk-total-bad", !ok);
    box.querySelector("[data-total-note]").textContent = ok ? " — đủ 100%" :
      (sum < 100 ? " — còn thiếu " + formatShare(100 - sum) + "%" : " — vượt " + formatShare(sum - 100) + "%");
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    button.addEventListener("click", function () {
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-mau");
      var body = document.querySelector("[data-formset='" + prefix + "']");
      if (!total || !template || !body) { return; }
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = body.lastElementChild;
      var first = added && added.querySelector("select, input");
      if (first) { first.focus(); }
    });
  });

  // A removed row is emptied and hidden: the server ignores empty rows, so the form indexes
  // stay as Django numbered them.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-remove-row]") : null;
    if (!button) { return; }
    var row = button.closest("[data-row]");
    if (!row) { return; }
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
    });
    row.hidden = true;
    var list = row.closest("[data-formset]");
    if (list) { updateTotal(list.getAttribute("data-formset")); }
  });

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-share")) {
      var list = el.closest("[data-formset]");
      if (list) { updateTotal(list.getAttribute("data-formset")); }
    }
  });
  document.querySelectorAll("[data-formset]").forEach(function (list) {
    updateTotal(list.getAttribute("data-formset"));
  });

  // The certificate page: a button that prints it (no inline handlers under the CSP).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Novelty panel: after a pause in typing, ask the server for the most similar initiatives.
  var panel = document.getElementById("tuong-tu");
  var title = document.querySelector("[data-novelty='title']");
  var text = document.querySelector("[data-novelty='text']");
  if (!panel || !title || !text) { return; }
  var url = panel.getAttribute("data-similar-url");
  var form = title.form;
  var timer = null;
  var controller = null;
  var last = "";

  function ask() {
    var key = title.value + "\u0000" + text.value;
    if (key === last) { return; }
    last = key;
    if (controller) { controller.abort(); }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    var data = new FormData();
    data.append("title", title.value);
    data.append("description", text.value);
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    var exclude = form.querySelector("[name=loai_tru]");
    if (exclude) { data.append("loai_tru", exclude.value); }
    panel.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRFToken": token ? token.value : "", "HX-Request": "true"},
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null) { panel.innerHTML = html; }
      panel.removeAttribute("aria-busy");
    }).catch(function () { panel.removeAttribute("aria-busy"); });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(ask, 700);
  }

  title.addEventListener("input", later);
  text.addEventListener("input", later);
  if (title.value || text.value) { ask(); }
});
