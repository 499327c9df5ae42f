// Background import: poll the batch until the worker is done, then show the result.
(function () {
  var card = document.getElementById("progress-card");
  if (!card) { return; }
  var bar = card.querySelector(".progress-bar");
  function poll() {
    fetch(card.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.style.width = Math.max(5, data.progress) + "%";
        if (data.status === "checking" || data.status === "applying") {
          setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
