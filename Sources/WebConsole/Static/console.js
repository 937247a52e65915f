// Small improvements on pages that work without script: the site board refreshes itself, the
// ID number is checked as it is typed (the server checks it again), and forms can ask first.
(function () {
  "use strict";
  var refresh = document.body.getAttribute("data-refresh");
  if (refresh) {
    setTimeout(function () { window.location.reload(); }, Number(refresh) * 1000);
  }

  // GB 11643: 17 digits, then a check character from their weighted sum.
  var weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var checks = "10X98765432";
  function idProblem(value) {
    var id = value.trim().toUpperCase();
    if (id.length === 0) return "";
    if (!/^\d{17}[\dX]$/.test(id)) return document.documentElement.lang === "en"
      ? "must be 17 digits and a digit or X" : "应为 17 位数字加 1 位数字或 X";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(id[i]) * weights[i];
    if (checks[sum % 11] !== id[17]) return document.documentElement.lang === "en"
      ? "the check digit does not match; a digit may be mistyped" : "校验位不符，可能有数字输错";
    return "";
  }
  document.querySelectorAll("input[data-check=national-id]").forEach(function (input) {
    var message = document.getElementById(input.getAttribute("aria-describedby"));
    input.addEventListener("input", function () {
      var problem = idProblem(input.value);
      if (input.value.trim().length < 18 && problem && !/check/.test(problem) && !/校验/.test(problem)) problem = "";
      if (message) message.textContent = problem;
      if (problem) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A USB barcode scanner types its code and Enter: in a scanning form, Enter after the
  // wristband moves to the tube, and only the last field's Enter sends the pair.
  document.querySelectorAll("form[data-scan]").forEach(function (form) {
    var fields = Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden])"));
    fields.forEach(function (input, index) {
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || index === fields.length - 1) return;
        event.preventDefault();
        if (input.value.trim()) fields[index + 1].focus();
      });
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
