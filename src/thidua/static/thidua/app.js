// Behaviour the pages need beyond htmx; kept in a static file because the CSP forbids inline code.
(function () {
  "use strict";

  // <form data-confirm="..."> asks before it is sent (membership leave, transfers).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit> / <input data-autosubmit> send their form when changed.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLElement && el.hasAttribute("data-autosubmit") && el.form) {
      if (typeof el.form.requestSubmit === "function") {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });
})();

document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  // File inputs get a Vietnamese button and the chosen file's name; the real input stays in the
  // form (hidden from sight, not from the form) so nothing changes for the server.
  document.querySelectorAll("input[type=file]").forEach(function (input) {
    var none = "Chưa chọn tệp nào";
    var wrap = document.createElement("span");
    var button = document.createElement("button");
    var name = document.createElement("span");
    wrap.className = "file-picker";
    button.type = "button";
    button.className = "btn";
    button.textContent = "Chọn tệp…";
    name.className = "file-name";
    name.textContent = none;
    name.setAttribute("aria-live", "polite");
    input.classList.add("file-native");
    input.tabIndex = -1;
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(name);
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var chosen = input.files && input.files.length ? input.files[0].name : "";
      name.textContent = chosen || none;
      name.classList.toggle("chosen", Boolean(chosen));
    });
  });

  // After a refused form, bring the first field with an error into view and focus it.
  var bad = document.querySelector(".field-error input, .field-error select, .field-error textarea");
  if (bad && bad.classList.contains("file-native")) {
    bad = bad.parentNode.querySelector("button");
  }
  if (bad) {
    bad.scrollIntoView({block: "center"});
    bad.focus({preventScroll: true});
  }
});
