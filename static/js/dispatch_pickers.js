// Dispatch forms: people pickers (local options) and project pickers searching the server.
(function () {
  if (!window.TomSelect) { return; }
  document.querySelectorAll("select[data-picker='users']").forEach(function (select) {
    new TomSelect(select, {
      maxOptions: 200, placeholder: "输入姓名查找",
      plugins: select.multiple ? ["remove_button"] : []
    });
  });
  document.querySelectorAll("select[data-remote]").forEach(function (select) {
    new TomSelect(select, {
      valueField: "value", labelField: "text", searchField: ["text"], maxOptions: 20,
      placeholder: "输入项目名称或编号",
      plugins: select.multiple ? ["remove_button"] : [],
      load: function (query, callback) {
        fetch(select.dataset.remote + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      }
    });
  });
})();
