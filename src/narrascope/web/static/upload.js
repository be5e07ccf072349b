// Upload progress for the files form: bytes sent, then each file's outcome as the server reports it.
// Without JavaScript the form posts to /upload/files and the server answers with the same table.
// Every value from the server is set as text (textContent), never as markup.
"use strict";
(function () {
  const form = document.querySelector("form.upload-files");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const status = document.getElementById("upload-progress");
  const bar = status.querySelector("progress");
  const note = status.querySelector(".progress-note");
  const table = document.getElementById("upload-outcomes");

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function show(answer) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const item of answer.items) {
      const row = body.insertRow();
      row.className = "outcome-" + item.status;
      cell(row, item.source.startsWith("upload:") ? item.source.slice(7) : item.source);
      cell(row, item.status, item.status);
      const details = row.insertCell();
      if (item.article_id) {
        const link = document.createElement("a");
        link.href = "/articles/" + encodeURIComponent(item.article_id);
        link.textContent = "open the article";
        details.appendChild(link);
      } else {
        const code = document.createElement("code");
        code.textContent = item.reason;
        details.append(code, ": " + item.message);
      }
    }
    const s = answer.summary;
    note.textContent = answer.items.length + " pages read: " + s.stored + " stored, " + s.unchanged +
      " already stored, " + s.rejected + " rejected.";
    table.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const data = new FormData(form);
    const token = String(data.get("token") || "");
    data.delete("token");  // sent in the header, as the API expects
    const files = form.querySelector("input[type=file]").files.length;
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/upload/files");
    request.setRequestHeader("X-Narrascope-Token", token);
    request.responseType = "json";
    status.hidden = false;
    bar.value = 0;
    note.textContent = "Sending " + files + " files…";
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = e.loaded / e.total;
      if (e.loaded === e.total) note.textContent = "Sent; ingesting " + files + " files (extraction, claims, narratives)…";
    });
    request.addEventListener("load", function () {
      bar.value = 1;
      if (request.status === 200 && request.response) {
        show(request.response);
      } else {
        const message = request.response && request.response.error ? request.response.error.message : "";
        note.textContent = "Not ingested (" + request.status + "): " + message;
      }
    });
    request.addEventListener("error", function () { note.textContent = "The upload failed: no answer from the server."; });
    request.send(data);
  });
})();
