// Checks the size of chosen files before a form is sent, so that a person is told in Thai which
// file is too large while everything typed is still on the page (the server refuses an over-size
// request with a 413 page, and the chosen files are lost on the way back). Applies to every
// <input type="file" data-max-bytes="…" data-max-total-bytes="…">. No inline script (CSP).
(function () {
  "use strict";

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) {
      return (bytes / (1024 * 1024)).toLocaleString("th-TH", { maximumFractionDigits: 1 }) + " MB";
    }
    return Math.max(1, Math.round(bytes / 1024)).toLocaleString("th-TH") + " KB";
  }

  function problem(input) {
    var max = Number(input.dataset.maxBytes || 0);
    var maxTotal = Number(input.dataset.maxTotalBytes || 0);
    var total = 0;
    for (var i = 0; i < input.files.length; i += 1) {
      var file = input.files[i];
      total += file.size;
      if (max && file.size > max) {
        return "ไฟล์ \"" + file.name + "\" มีขนาด " + sizeText(file.size) + " เกินที่รับได้ไฟล์ละ " +
          sizeText(max) + " — ให้ย่อขนาดไฟล์ (เช่น บันทึก PDF แบบขนาดเล็ก หรือบีบอัดเป็น ZIP) แล้วเลือกใหม่";
      }
    }
    if (maxTotal && total > maxTotal) {
      return "ไฟล์ที่เลือกรวมกัน " + sizeText(total) + " เกินที่รับได้ต่อการบันทึกหนึ่งครั้ง (" +
        sizeText(maxTotal) + ") — ให้แนบทีละไฟล์ หรือย่อขนาดไฟล์ก่อน";
    }
    return "";
  }

  function check(input) {
    var message = problem(input);
    input.setCustomValidity(message);
    var note = document.getElementById(input.id + "_size_error");
    if (!note) {
      note = document.createElement("div");
      note.id = input.id + "_size_error";
      note.className = "invalid-feedback d-block";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    return message === "";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.maxBytes) {
      check(input);
    }
  });

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i += 1) {
      if (!check(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
        return;
      }
    }
  }, true);
})();
