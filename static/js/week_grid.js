// 批量填报: the rows of the week behave like a spreadsheet — arrow keys and Enter move between
// cells, a cell's text is selected on entry, and a block copied from Excel or WPS (tab-separated
// lines) is pasted cell by cell from the cell it is dropped on. The server checks every value
// again; the marks here only say early what the save would refuse.
(function () {
  var form = document.getElementById("week-form");
  if (!form) { return; }
  var jump = parseFloat(form.dataset.jump);
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.week-row.is-open"));
  var grid = rows.map(function (tr) {
    return Array.prototype.slice.call(
      tr.querySelectorAll("td select, td input[type=text]")
    );
  });
  var rules = {
    progress_percent: { min: 0, max: 100, decimals: 1, label: "形象进度应在0到100之间" },
    delivered_this_week: { min: 0, integer: true, label: "本周交房应为不小于0的整数" },
    workers_on_site: { min: 0, integer: true, label: "在岗人数应为不小于0的整数" },
    funds_received: { min: 0, decimals: 2, label: "到位资金应为不小于0的数字" }
  };

  function position(cell) {
    for (var r = 0; r < grid.length; r++) {
      var c = grid[r].indexOf(cell);
      if (c >= 0) { return { row: r, col: c }; }
    }
    return null;
  }
  function focusCell(row, col) {
    if (row < 0 || row >= grid.length) { return false; }
    var cell = grid[row][Math.max(0, Math.min(col, grid[row].length - 1))];
    if (!cell) { return false; }
    cell.focus();
    if (cell.select && cell.tagName === "INPUT") { cell.select(); }
    return true;
  }
  function fieldName(cell) { return cell.name.replace(/^rows-\d+-/, ""); }
  function plainNumber(text) {
    return text.normalize("NFKC").replace(/[,，%％\s]/g, "");
  }

  function setError(cell, message) {
    var td = cell.closest("td");
    var note = td.querySelector(".cell-error.js");
    if (!message) {
      if (note) { note.remove(); }
      if (!td.querySelector(".cell-error:not(.js)")) { cell.classList.remove("is-invalid"); }
      return;
    }
    if (!note) {
      note = document.createElement("div");
      note.className = "cell-error js";
      td.appendChild(note);
    }
    note.textContent = message;
    cell.classList.add("is-invalid");
  }
  function check(cell) {
    var rule = rules[fieldName(cell)];
    if (!rule) { return; }
    var text = plainNumber(cell.value);
    if (text === "") { setError(cell, null); return; }
    var value = Number(text);
    var bad = isNaN(value) || value < rule.min || (rule.max !== undefined && value > rule.max) ||
      (rule.integer && Math.floor(value) !== value);
    setError(cell, bad ? rule.label : null);
    if (!bad && fieldName(cell) === "progress_percent") { compare(cell, value); }
  }
  function compare(cell, value) {
    var previous = parseFloat(cell.closest("tr").dataset.previous);
    var td = cell.closest("td");
    var hint = td.querySelector(".cell-hint");
    if (isNaN(previous)) { return; }
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "cell-hint";
      td.appendChild(hint);
    }
    var diff = Math.round((value - previous) * 10) / 10;
    hint.textContent = diff < 0 ? "比上次低 " + (-diff) + "，保存时需确认" :
      (diff > jump ? "比上次高 " + diff + "，保存时需确认" : "");
  }
  function setStatus(select, text) {
    var wanted = text.trim();
    if (!wanted) { return true; }
    var options = Array.prototype.slice.call(select.options);
    var found = options.find(function (o) { return o.text === wanted || o.value === wanted; }) ||
      options.find(function (o) { return o.text.indexOf(wanted) === 0 || wanted.indexOf(o.text) === 0; });
    if (!found) { setError(select, "无法识别的施工状态：" + wanted); return false; }
    select.value = found.value;
    setError(select, null);
    return true;
  }
  function put(cell, text) {
    if (cell.tagName === "SELECT") { setStatus(cell, text); } else { cell.value = text.trim(); check(cell); }
    cell.classList.add("just-pasted");
    setTimeout(function () { cell.classList.remove("just-pasted"); }, 1200);
  }

  // As in Excel: a cell reached by the keyboard is in "enter" mode (typing replaces it, arrows
  // leave it); a cell clicked into, or after F2, is in "edit" mode (arrows move the caret and
  // leave the cell only at either end of its text).
  var pointer = false;
  form.addEventListener("mousedown", function (event) {
    if (!position(event.target)) { return; }
    pointer = true;
    event.target.dataset.mode = "edit";
  });
  form.addEventListener("focusin", function (event) {
    var cell = event.target;
    if (position(cell) && cell.tagName === "INPUT") {
      cell.dataset.before = cell.value;
      cell.dataset.mode = pointer ? "edit" : "enter";
      cell.select();
    }
    pointer = false;
  });
  form.addEventListener("keydown", function (event) {
    var cell = event.target;
    var at = position(cell);
    if (!at || event.altKey || event.metaKey || event.ctrlKey) { return; }
    var input = cell.tagName === "INPUT";
    var atStart = input && cell.selectionStart === 0 && cell.selectionEnd === 0;
    var atEnd = input && cell.selectionStart === cell.value.length && cell.selectionEnd === cell.value.length;
    var whole = input && (cell.dataset.mode === "enter" ||
      (cell.selectionStart === 0 && cell.selectionEnd === cell.value.length));
    var moved = false;
    switch (event.key) {
      case "ArrowDown": moved = focusCell(at.row + 1, at.col); break;
      case "ArrowUp": moved = focusCell(at.row - 1, at.col); break;
      case "Enter": moved = focusCell(at.row + (event.shiftKey ? -1 : 1), at.col) || true; break;
      case "ArrowLeft": if (!input || atStart || whole) { moved = focusCell(at.row, at.col - 1); } break;
      case "ArrowRight": if (!input || atEnd || whole) { moved = focusCell(at.row, at.col + 1); } break;
      case "Escape": if (input && cell.dataset.before !== undefined) { cell.value = cell.dataset.before; check(cell); cell.select(); moved = true; } break;
      case "F2": case " ":
        if (input && event.key === "F2") {
          cell.dataset.mode = "edit";
          cell.setSelectionRange(cell.value.length, cell.value.length);
          moved = true;
        } else if (!input && cell.showPicker) {
          try { cell.showPicker(); moved = true; } catch (e) { moved = false; }
        }
        break;
      default:
        if (!input && /^[1-9]$/.test(event.key) && cell.options.length >= Number(event.key)) {
          cell.selectedIndex = Number(event.key) - 1;
          setError(cell, null);
          moved = true;
        }
    }
    if (moved) { event.preventDefault(); }
  });
  form.addEventListener("input", function (event) {
    if (position(event.target)) { check(event.target); }
  });
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /-include$/.test(box.name)) {
      box.closest("tr").classList.toggle("is-skipped", !box.checked);
    }
  });
  form.addEventListener("paste", function (event) {
    var cell = event.target;
    var at = position(cell);
    var data = event.clipboardData || window.clipboardData;
    if (!at || !data) { return; }
    var text = data.getData("text/plain").replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) {
      if (cell.tagName === "SELECT") { event.preventDefault(); put(cell, text); }
      return;
    }
    event.preventDefault();
    var lines = text.split("\n").map(function (line) { return line.split("\t"); });
    var placed = 0;
    lines.forEach(function (values, r) {
      var row = grid[at.row + r];
      if (!row) { return; }
      values.forEach(function (value, c) {
        var target = row[at.col + c];
        if (target) { put(target, value); placed += 1; }
      });
    });
    var left = Math.max(0, at.row + lines.length - grid.length);
    announce("已粘贴 " + placed + " 个单元格" + (left ? "；多出的 " + left + " 行没有对应的项目，已忽略" : "") + "。");
  });
  function announce(message) {
    var box = document.getElementById("week-announce");
    if (box) { box.textContent = message; }
  }
  grid.forEach(function (row) {
    row.forEach(function (cell) {
      if (cell.tagName === "SELECT") {
        cell.title = "数字键选择：" + Array.prototype.map.call(cell.options, function (o, i) {
          return (i + 1) + " " + o.text;
        }).join("，") + "；空格键展开";
      }
    });
  });
})();
