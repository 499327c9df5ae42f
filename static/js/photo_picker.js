// 现场照片 picker: photos taken one after another with the camera and files chosen from the
// album gather in the album input (the one the form sends), with a preview of each, a way to
// drop one, and an early word on files the server would refuse.
(function () {
  document.querySelectorAll(".photo-picker").forEach(function (picker) {
    var camera = picker.querySelector(".photo-camera");
    var files = picker.querySelector(".photo-files");
    var list = picker.querySelector(".photo-previews");
    var maxFiles = Number(picker.dataset.maxFiles);
    var maxBytes = Number(picker.dataset.maxMb) * 1024 * 1024;
    var chosen = [];
    if (!window.DataTransfer || !camera || !files) { return; }
    camera.removeAttribute("name");

    function sync() {
      var transfer = new DataTransfer();
      chosen.forEach(function (file) { transfer.items.add(file); });
      files.files = transfer.files;
      list.textContent = "";
      chosen.forEach(function (file, i) {
        var item = document.createElement("li");
        item.className = "photo-preview";
        var problem = !/^image\/(jpeg|png|webp)$/.test(file.type) ? "不是JPG、PNG或WEBP照片，保存时会被拒绝" :
          (file.size > maxBytes ? "超过" + picker.dataset.maxMb + "MB，保存时会被拒绝" :
            (i >= maxFiles ? "超过一次" + maxFiles + "张的上限" : ""));
        var caption = document.createElement("span");
        caption.className = "small" + (problem ? " text-danger" : " text-secondary");
        caption.textContent = file.name + " · " + size(file.size) + (problem ? " · " + problem : "");
        if (/^image\//.test(file.type)) {
          var img = document.createElement("img");
          img.alt = "";
          img.src = URL.createObjectURL(file);
          img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
          img.addEventListener("error", function () {
            URL.revokeObjectURL(img.src);
            img.replaceWith(placeholder());
            caption.className = "small text-danger";
            caption.textContent = file.name + " · 无法显示，可能不是有效的照片，保存时会被拒绝";
          });
          item.appendChild(img);
        } else {
          item.appendChild(placeholder());
        }
        item.appendChild(caption);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-outline-secondary";
        remove.textContent = "移除";
        remove.setAttribute("aria-label", "移除 " + file.name);
        remove.addEventListener("click", function () { chosen.splice(i, 1); sync(); });
        item.appendChild(remove);
        list.appendChild(item);
      });
    }
    function size(bytes) {
      return bytes < 1024 * 1024 ? Math.max(1, Math.round(bytes / 1024)) + "KB" : (bytes / 1024 / 1024).toFixed(1) + "MB";
    }
    function placeholder() {
      var box = document.createElement("span");
      box.className = "photo-placeholder";
      box.innerHTML = '<i class="bi bi-file-earmark-x"></i>';
      return box;
    }
    function take(input) {
      Array.prototype.forEach.call(input.files, function (file) { chosen.push(file); });
      sync();
    }
    camera.addEventListener("change", function () { take(camera); camera.value = ""; });
    files.addEventListener("change", function () {
      var added = Array.prototype.slice.call(files.files).filter(function (f) { return chosen.indexOf(f) < 0; });
      chosen = chosen.concat(added);
      sync();
    });
  });
})();
