/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* Move focus to the error summary after a failed submit, so screen readers hear it first. */
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  /* On a phone the map's long filter form starts folded, so the map is in view (it stays open
     when it shows an error). */
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (box) { box.open = false; });
  }

  /* Show fields that only apply to some choices (data-show-when="field=value|other"). */
  document.querySelectorAll("[data-show-when]").forEach(function (block) {
    var rule = block.getAttribute("data-show-when").split("=");
    var values = rule[1].split("|");
    var inputs = document.querySelectorAll('input[name="' + rule[0] + '"], select[name="' + rule[0] + '"]');
    function update() {
      var current = "";
      inputs.forEach(function (input) {
        if ((input.type !== "radio" && input.type !== "checkbox") || input.checked) { current = input.value; }
      });
      var hasError = block.querySelector(".form-error");
      block.hidden = values.indexOf(current) < 0 && !hasError;
    }
    inputs.forEach(function (input) { input.addEventListener("change", update); });
    update();
  });
})();
