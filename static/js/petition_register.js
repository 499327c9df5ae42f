// Registration form: project picker searching the server, live duplicate hints, linking.
(function () {
  var form = document.getElementById("register-form");
  if (!form) { return; }
  var project = document.getElementById("id_project");
  if (project && window.TomSelect) {
    new TomSelect(project, {
      valueField: "value", labelField: "text", searchField: ["text"], maxOptions: 20,
      placeholder: "输入项目名称或编号",
      load: function (query, callback) {
        fetch(project.dataset.remote + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
      onChange: refresh
    });
  }
  var timer = null;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var params = new URLSearchParams({
        phone: form.elements.petitioner_phone.value,
        id_number: form.elements.petitioner_id_number.value,
        project: form.elements.project.value,
        category: form.elements.category.value
      });
      fetch(form.dataset.duplicatesUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { document.getElementById("duplicates").innerHTML = html; });
    }, 300);
  }
  ["petitioner_phone", "petitioner_id_number", "category"].forEach(function (name) {
    form.elements[name].addEventListener("change", refresh);
    form.elements[name].addEventListener("blur", refresh);
  });
  document.getElementById("duplicates").addEventListener("click", function (event) {
    var button = event.target.closest(".link-duplicate");
    if (!button) { return; }
    var select = form.elements.duplicate_of;
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === button.dataset.id; });
    if (!option) {
      option = new Option(button.dataset.label, button.dataset.id);
      select.add(option);
    }
    select.value = button.dataset.id;
    button.textContent = "已关联";
    button.disabled = true;
  });
})();
