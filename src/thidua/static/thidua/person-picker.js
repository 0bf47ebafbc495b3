// The person picker (people/picker.py): a chosen result fills the hidden id and, where the form
// has them, the name and position fields; typing again clears the id. Static: the CSP forbids
// inline code. Loaded once per picker, so it guards against binding twice.
(function () {
  "use strict";
  if (window.thiduaPersonPicker) { return; }
  window.thiduaPersonPicker = true;

  function fillTargets(picker) {
    var out = {};
    (picker.dataset.fill || "").split(" ").forEach(function (pair) {
      var i = pair.indexOf(":");
      if (i > 0) { out[pair.slice(0, i)] = pair.slice(i + 1); }
    });
    return out;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest(".picker-choice") : null;
    if (!button) { return; }
    var picker = button.closest("[data-person-picker]");
    if (!picker) { return; }
    event.preventDefault();
    picker.querySelector("[data-person-id]").value = button.dataset.id;
    var box = picker.querySelector("input[type=search]");
    box.value = button.dataset.name;
    var chosen = picker.querySelector("[data-person-chosen]");
    if (chosen) {
      chosen.querySelector("strong").textContent = button.dataset.name;
      chosen.hidden = false;
    }
    var targets = fillTargets(picker);
    Object.keys(targets).forEach(function (key) {
      var field = document.getElementById(targets[key]);
      if (field && !field.value && button.dataset[key]) { field.value = button.dataset[key]; }
    });
    picker.querySelector(".picker-results").innerHTML = "";
    box.focus();
  });

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.type === "search") {
      var picker = box.closest("[data-person-picker]");
      if (picker) {
        picker.querySelector("[data-person-id]").value = "";
        var chosen = picker.querySelector("[data-person-chosen]");
        if (chosen) { chosen.hidden = true; }
      }
    }
  });
})();
