// Registration form: project picker searching the server, duplicate hints refreshed while the
// clerk types (phone and ID numbers go in a POST body, never in a URL), linking a duplicate.
(function () {
  var form = document.getElementById("register-form");
  if (!form) { return; }
  var box = document.getElementById("duplicates");
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
  var asked = 0;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  }
  function check() {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    body.append("phone", form.elements.petitioner_phone.value);
    body.append("id_number", form.elements.petitioner_id_number.value);
    body.append("project", form.elements.project.value);
    body.append("category", form.elements.category.value);
    var mine = ++asked;
    box.setAttribute("aria-busy", "true");
    fetch(form.dataset.duplicatesUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) { if (mine === asked) { box.innerHTML = html; } })
      .catch(function () {
        if (mine === asked) { box.innerHTML = '<div class="small text-danger">暂时无法核对重复件，请稍后再试（不影响登记）。</div>'; }
      })
      .finally(function () { if (mine === asked) { box.removeAttribute("aria-busy"); } });
  }
  ["petitioner_phone", "petitioner_id_number"].forEach(function (name) {
    form.elements[name].addEventListener("input", refresh);
  });
  form.elements.category.addEventListener("change", refresh);
  box.addEventListener("click", function (event) {
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
