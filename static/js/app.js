// Behaviour every page shares, kept out of the markup (no inline handlers: the
// Content-Security-Policy runs no inline script): confirm before a destructive form is sent,
// print from a button marked data-print.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
})();
