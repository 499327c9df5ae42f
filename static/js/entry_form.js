// Weekly report form: compare 形象进度 with the last report while it is typed.
(function () {
  var previous = document.getElementById("previous-report");
  var input = document.getElementById("id_progress_percent");
  if (!previous || !input) { return; }
  var before = parseFloat(previous.dataset.progress);
  var jump = parseFloat(previous.dataset.jump);
  var hint = document.createElement("div");
  hint.className = "form-text progress-hint";
  hint.setAttribute("aria-live", "polite");
  input.insertAdjacentElement("afterend", hint);
  function show() {
    var value = parseFloat(input.value.replace(/[%％,\s]/g, ""));
    hint.classList.remove("text-warning-emphasis", "fw-semibold");
    if (isNaN(value)) { hint.textContent = "上次为 " + before.toFixed(1) + "%"; return; }
    var diff = Math.round((value - before) * 10) / 10;
    if (diff < 0 || diff > jump) {
      hint.classList.add("text-warning-emphasis", "fw-semibold");
      hint.textContent = diff < 0
        ? "比上次（" + before.toFixed(1) + "%）下降了 " + (-diff).toFixed(1) + " 个百分点，是否小数点错位？保存时需要确认。"
        : "比上次（" + before.toFixed(1) + "%）增加了 " + diff.toFixed(1) + " 个百分点，幅度异常，保存时需要确认。";
    } else {
      hint.textContent = "上次为 " + before.toFixed(1) + "%，本次" + (diff ? "增加 " + diff.toFixed(1) + " 个百分点" : "持平");
    }
  }
  input.addEventListener("input", show);
  show();
})();
