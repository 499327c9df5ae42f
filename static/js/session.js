// Idle sessions: a warning a few minutes before the session ends, with 继续工作 to keep it (all
// tabs share one clock through localStorage, since a request from any tab renews the session).
// If it ends anyway, saving the form still works: the server keeps the fields, the person logs
// in again and this script puts them back into the same form (core/sessions.py).
(function () {
  var body = document.body;
  var box = document.getElementById("session-modal");
  if (!body.dataset.keepaliveUrl || !box || !window.bootstrap) { return; }
  var KEY = "bzf-session-ends";
  var warnMs = Number(body.dataset.sessionWarning) * 1000;
  var ends = Date.now() + Number(body.dataset.sessionExpiresIn) * 1000;
  var modal = window.bootstrap.Modal.getOrCreateInstance(box);
  var state = "";  // "", "warning", "capped" (cannot be extended), "expired"
  var typed = false;

  function publish(at) {
    ends = at;
    try { localStorage.setItem(KEY, String(at)); } catch (e) { /* private mode: this tab only */ }
  }
  publish(ends);
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && Number(event.newValue) > ends) { ends = Number(event.newValue); tick(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.method === "post") { typed = true; }
  });

  function part(selector) { return box.querySelector(selector); }
  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + " 分 " + ("0" + (s % 60)).slice(-2) + " 秒";
  }
  function show(title, text, buttons) {
    part(".session-title").textContent = title;
    part(".session-text").textContent = text;
    part(".session-continue").classList.toggle("d-none", buttons.indexOf("continue") < 0);
    part(".session-close").classList.toggle("d-none", buttons.indexOf("close") < 0);
    part(".session-login").classList.toggle("d-none", buttons.indexOf("login") < 0);
    if (!box.classList.contains("show")) { modal.show(); }
  }
  function tick() {
    var left = ends - Date.now();
    if (left <= 0) {
      if (state !== "expired") {
        state = "expired";
        show("登录已超时", typed
          ? "登录已失效。请直接点击页面上的“保存”：重新登录后，刚才填写的内容会自动填回，核对后再保存即可。"
          : "登录已失效，请重新登录。", typed ? ["close"] : ["login"]);
      }
    } else if (left <= warnMs) {
      if (state === "capped") {
        part(".session-text").textContent = "登录已接近时长上限，将在 " + clock(left) + " 后失效，请尽快保存正在填写的内容。";
      } else {
        state = "warning";
        show("即将退出登录", "您已较长时间没有操作，登录将在 " + clock(left) + " 后失效。点击“继续工作”保持登录，正在填写的内容不受影响。", ["continue"]);
      }
    } else if (state) {
      state = "";
      modal.hide();
    }
  }
  part(".session-continue").addEventListener("click", function () {
    fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.dataset.csrf, "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      publish(Date.now() + (answer.ok ? answer.data.expires_in * 1000 : 0));
      if (answer.ok && answer.data.expires_in * 1000 <= warnMs) {
        state = "capped";
        show("即将退出登录", "", ["close"]);
      }
      tick();
    }).catch(function () {
      part(".session-text").textContent = "暂时无法连接服务器，请稍后再点“继续工作”。";
    });
  });
  setInterval(tick, 1000);

  var kept = document.getElementById("rescued-form");
  if (kept) { restore(JSON.parse(kept.textContent)); }

  function restore(rescued) {
    var names = Object.keys(rescued.data);
    var forms = Array.prototype.filter.call(document.querySelectorAll("main form"), function (f) {
      return f.method === "post";
    });
    var scored = forms.map(function (f) {
      return { form: f, hits: names.filter(function (n) { return f.querySelector('[name="' + CSS.escape(n) + '"]'); }).length };
    }).sort(function (a, b) { return b.hits - a.hits; });
    if (!scored.length || !scored[0].hits) { return; }
    var form = scored[0].form;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken") { return; }
      var values = rescued.data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
      } else if (!values) {
        return;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else {
        var same = form.querySelectorAll('[name="' + CSS.escape(el.name) + '"]');
        el.value = values[Array.prototype.indexOf.call(same, el)] || values[0];
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var note = document.createElement("div");
    note.className = "alert alert-warning rescued-note";
    note.setAttribute("role", "alert");
    note.textContent = "登录超时（" + rescued.reason + "）前您填写的内容已恢复，尚未保存：请核对后点击保存。" +
      (rescued.files ? "另有 " + rescued.files + " 个文件（照片）浏览器无法保留，请重新选择。" : "");
    form.insertAdjacentElement("beforebegin", note);
    note.scrollIntoView({ block: "center" });
  }
})();
